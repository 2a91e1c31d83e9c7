import EventLog
import Foundation
public import SmartContentDomain
import SmartContentProjections

extension SmartContentEngine {
    static func contentState(_ loaded: LoadedStream) -> ContentState? {
        var state: ContentState?
        for (event, at) in loaded.events {
            if case .contentCreated(let created) = event {
                state = ContentState(created, at: at)
            } else {
                state?.apply(event, at: at)
            }
        }
        return state
    }

    @discardableResult
    public func createContent(_ command: ContentRules.Create, by actor: Actor) async throws -> Written<ContentCreated> {
        try await execute(on: Streams.content(command.contentId), by: actor) { loaded in
            guard loaded.version == nil else {
                throw DomainError(.alreadyExists, "content \(command.contentId) already exists")
            }
            let created = try ContentRules.create(command, by: actor)
            return ([created.event], created)
        }
    }

    @discardableResult
    public func updateContent(_ command: ContentRules.Update, by actor: Actor) async throws -> Written<ContentUpdated> {
        try await execute(on: Streams.content(command.contentId), by: actor) { loaded in
            let updated = try ContentRules.update(command, current: Self.contentState(loaded), by: actor)
            return ([updated.event], updated)
        }
    }

    @discardableResult
    public func deleteContent(_ id: ContentID, by actor: Actor) async throws -> Written<ContentDeleted> {
        try await execute(on: Streams.content(id), by: actor) { loaded in
            let deleted = try ContentRules.delete(id, current: Self.contentState(loaded), by: actor)
            return ([deleted.event], deleted)
        }
    }

    @discardableResult
    public func addCollaborator(_ userId: UserID, to id: ContentID, by actor: Actor) async throws -> Written<CollaboratorAdded> {
        let isMember = try await read(UserProjection.self, atLeast: log.head.head) {
            try $0.role(of: userId, in: actor.workspaceId) != nil
        }
        return try await execute(on: Streams.content(id), by: actor) { loaded in
            let added = try ContentRules.addCollaborator(userId, to: id, isMember: isMember,
                                                         current: Self.contentState(loaded), by: actor)
            return ([added.event], added)
        }
    }

    /// Generates content with the configured generator and records it as `ContentCreated`
    /// with its generation parameters. Without a seed, each call gives other text.
    @discardableResult
    public func generateContent(_ request: GenerationRequest, by actor: Actor) async throws -> Written<ContentCreated> {
        try actor.requireWriter("generate content")
        try Validation.generationLength(request.length, for: request.contentType)
        if case .text(let seed) = request.seed, !(1...GenerationSeed.maxTextLength).contains(seed.count) {
            throw DomainError.invalid("seed", "seed must be an integer or a string of 1 to \(GenerationSeed.maxTextLength) characters")
        }
        let topic = try Validation.topic(request.topic)
        let keywords = try Validation.keywords(request.keywords)
        var cleaned = request
        cleaned.topic = topic
        cleaned.keywords = keywords
        let generated = try await configuration.generator.generate(cleaned)
        return try await createContent(.init(title: generated.title, body: generated.body, contentType: request.contentType,
                                             tone: request.tone, keywords: keywords, generated: generated.parameters),
                                       by: actor)
    }

    /// Edits content with the generator following `instructions`: a new version. What the
    /// generator could not follow is in the event's `notApplied`.
    @discardableResult
    public func refineContent(_ id: ContentID, instructions: String, by actor: Actor) async throws -> Written<ContentRefined> {
        try await execute(on: Streams.content(id), by: actor) { loaded in
            let current = Self.contentState(loaded)
            // Check access before spending time generating.
            let content = try ContentRules.editable(id, current, actor, action: "refine content")
            var topic: String?
            if case .contentCreated(let created)? = loaded.events.first?.event { topic = created.generated?.topic }
            let refined = try await configuration.generator.refine(.init(
                title: content.title, body: content.body, instructions: instructions, contentType: content.contentType,
                tone: content.tone, keywords: content.keywords, topic: topic))
            let event = try ContentRules.refine(contentId: id, instructions: instructions, refinedTitle: refined.title,
                                                refinedBody: refined.body, generated: refined.parameters,
                                                tone: refined.tone, keywords: refined.keywords,
                                                notApplied: refined.notApplied, current: current, by: actor)
            return ([event.event], event)
        }
    }
}
