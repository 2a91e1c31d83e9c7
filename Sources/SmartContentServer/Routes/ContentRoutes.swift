import Foundation
import Hummingbird
import SmartContent
import SmartContentDomain
import SmartContentProjections

extension SmartContentAPI {
    struct CreateContentBody: Decodable {
        var title: String
        var body: String
        var contentType: ContentType
        var tone: Tone?
        var keywords: [String]?
    }

    struct UpdateContentBody: Decodable {
        var title: String?
        var body: String?
        var contentType: ContentType?
        var tone: Tone?
        var keywords: [String]?
        var changes: String?
        var expectedVersion: Int?
    }

    struct RefineBody: Decodable {
        var instructions: String
    }

    /// The refined content, and the instructions the generator did not follow.
    struct RefinedResponse: Encodable {
        var content: ContentView
        var notApplied: [String]

        enum CodingKeys: String, CodingKey { case notApplied }

        func encode(to encoder: any Encoder) throws {
            try content.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(notApplied, forKey: .notApplied)
        }
    }

    struct GeneratedResponse: Encodable {
        struct Metadata: Encodable {
            var wordCount: Int
            /// Minutes, at 200 words a minute, at least 1.
            var readingTime: Int
            var generatedAt: Instant
            var generator: String
            var model: String
            var topic: String
            var length: Int
            /// The seed given, or the one drawn: sent again, it gives the same text.
            var seed: GenerationSeed
        }

        var contentId: ContentID
        var title: String
        var body: String
        var contentType: ContentType
        var tone: Tone?
        var keywords: [String]
        var status: ContentStatus
        var version: Int
        var metadata: Metadata
    }

    /// Content: create, list, get, update (a new version), delete, versions, generate, refine.
    func addContentRoutes(to v1: RouterGroup<APIContext>) {
        let content = v1.group("content")
        content.post { request, context -> Response in
            let actor = try context.requireActor()
            let body = try await request.decode(as: CreateContentBody.self, context: context)
            let created = try await engine.createContent(
                .init(title: body.title, body: body.body, contentType: body.contentType, tone: body.tone, keywords: body.keywords ?? []),
                by: actor)
            return context.respond(try await view(created.value.contentId, actor, atLeast: created.position),
                                       status: .created, position: created.position)
        }
        content.get { request, context -> Response in
            let actor = try context.requireActor()
            let status = try request.query("status").map { text in
                guard let status = ContentStatus(rawValue: text) else {
                    throw APIError.invalid("status", "status must be one of draft, scheduled, published, deleted")
                }
                return status
            }
            let author = try request.query("authorId").map { text in
                guard let author = UserID(rawValue: text) else { throw APIError.invalid("authorId", "authorId must be a usr_… id") }
                return author
            }
            let limit = try request.pageLimit(), cursor = try request.pageCursor()
            let page = try await read(ContentProjection.self, request, context) { queries in
                try queries.list(in: actor.workspaceId, status: status, author: author, limit: limit, cursor: cursor)
            }
            return try context.respond(page)
        }
        content.post("generate") { request, context -> Response in
            let actor = try context.requireActor()
            var body = try await request.decode(as: GenerationRequest.self, context: context)
            // The title is made of the topic, and a title is one line: a control character in
            // the topic would be refused later as a fault of `title`, a field the caller never sent.
            if body.topic.trimmingCharacters(in: .whitespacesAndNewlines).unicodeScalars
                .contains(where: { $0.properties.generalCategory == .control }) {
                throw APIError.invalid("topic", "topic must not contain control characters")
            }
            // Drawn here rather than left to the generator, so that the answer can name it.
            let seed = body.seed ?? .random()
            body.seed = seed
            let written: Written<ContentCreated>
            do {
                written = try await engine.generateContent(body, by: actor)
            } catch let error as DomainError where error.code == .invalidParameters && error.details["field"] == "body" {
                // The generated text is over what a body holds: the request's length (with its
                // topic) asked for it, and the caller never sent a body.
                throw APIError.invalid("length", "the generated text would be over 100,000 characters: ask for fewer words or a shorter topic")
            }
            let created = written.value
            let generated = created.generated
            let words = created.body.split(whereSeparator: \.isWhitespace).count
            let response = GeneratedResponse(
                contentId: created.contentId, title: created.title, body: created.body, contentType: created.contentType,
                tone: created.tone, keywords: created.keywords, status: .draft, version: 1,
                metadata: .init(wordCount: words, readingTime: max(1, Int((Double(words) / 200).rounded(.up))),
                                generatedAt: engine.now, generator: generated?.generator ?? "offline",
                                model: generated?.model ?? "", topic: generated?.topic ?? body.topic,
                                length: generated?.length ?? body.length, seed: seed))
            return try context.respond(response, status: .created, position: written.position)
        }
        content.get(":contentId") { request, context -> Response in
            let actor = try context.requireActor()
            let id = try context.id("contentId", as: ContentID.self, what: "Content")
            return context.respond(try await view(id, actor, atLeast: try context.readPosition(request)))
        }
        content.put(":contentId") { request, context -> Response in
            let actor = try context.requireActor()
            let id = try context.id("contentId", as: ContentID.self, what: "Content")
            let body = try await request.decode(as: UpdateContentBody.self, context: context)
            let updated = try await engine.updateContent(
                .init(contentId: id, title: body.title, body: body.body, contentType: body.contentType, tone: body.tone,
                      keywords: body.keywords, changes: body.changes, expectedVersion: body.expectedVersion),
                by: actor)
            // The version this caller wrote, even when others have written since.
            var written = try await view(id, actor, atLeast: updated.position)
            let event = updated.value
            written.version = event.version
            written.title = event.title
            written.body = event.body
            written.contentType = event.contentType
            written.tone = event.tone
            written.keywords = event.keywords
            return context.respond(written, position: updated.position)
        }
        content.delete(":contentId") { _, context -> Response in
            let actor = try context.requireActor()
            let id = try context.id("contentId", as: ContentID.self, what: "Content")
            return context.noContent(position: try await engine.deleteContent(id, by: actor).position)
        }
        content.get(":contentId/versions") { request, context -> Response in
            let actor = try context.requireActor()
            let id = try context.id("contentId", as: ContentID.self, what: "Content")
            let versions = try await read(ContentProjection.self, request, context) { queries -> [ContentVersion]? in
                guard try queries.content(id, in: actor.workspaceId) != nil else { return nil }
                return try queries.versions(id)
            }
            guard let versions else { throw APIError.notFound("Content", id.rawValue) }
            return try context.respond(Page(items: versions, nextCursor: nil))
        }
        content.post(":contentId/refine") { request, context -> Response in
            let actor = try context.requireActor()
            let id = try context.id("contentId", as: ContentID.self, what: "Content")
            let body = try await request.decode(as: RefineBody.self, context: context)
            let refined = try await engine.refineContent(id, instructions: body.instructions, by: actor)
            // The version this caller wrote, even when others have written since.
            var written = try await view(id, actor, atLeast: refined.position)
            let event = refined.value
            written.version = event.version
            written.title = event.title
            written.body = event.body
            if let tone = event.tone { written.tone = tone }
            if let keywords = event.keywords { written.keywords = keywords }
            return try context.respond(RefinedResponse(content: written, notApplied: event.notApplied),
                                       position: refined.position)
        }
    }

    /// One content of the actor's workspace, or 404.
    func view(_ id: ContentID, _ actor: Actor, atLeast position: UInt64?) async throws -> ContentView {
        let view = try await engine.readNow(ContentProjection.self, atLeast: position) { try $0.content(id, in: actor.workspaceId) }
        guard let view else { throw APIError.notFound("Content", id.rawValue) }
        return view
    }
}
