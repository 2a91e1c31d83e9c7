import ArgumentParser
import EventLog
import Foundation
import SmartContent
import SmartContentDomain
import SmartContentProjections

struct QueryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Answer a question from a projection, as JSON: the answers the HTTP API gives.",
        discussion: """
            The projections are first brought up to the end of the log (safe while a server \
            runs on the same directory). Workspace-scoped questions need --workspace.

            Projections and what they answer:
              content        --id ID --workspace W          one content
                             --workspace W [--status S] [--author U] [--limit N] [--cursor C]
              versions       --id ID                        the version history of a content
              analytics      --id ID [--from DAY --to DAY]  one content's daily engagement
              dashboard      --workspace W [--from DAY --to DAY]
                             (without --from, the 30 days ending at --to, or today)
              optimal-times  --workspace W                  best hours of the week to post
              schedules      --id ID | --workspace W --from DAY --to DAY | --due-before TIME
              users          --id ID | --email E | --workspace W (its members)
              audit          --subject U | --entity STREAM
              recommendations --reader R | --id CONTENT (co-engagement)
              channels       --workspace W
              jobs           --id JOB
              audiences      --workspace W

            Examples:
              smartcontent query content --workspace wsp_1 --status draft --limit 10
              smartcontent query analytics --id cnt_1 --from 2026-02-01 --to 2026-02-28
              smartcontent query audit --entity content-cnt_1
            """
    )

    @OptionGroup var store: StoreOptions

    @Argument(help: ArgumentHelp("What to ask (see the list above).", valueName: "projection"))
    var question: String

    @Option(help: "An id: content, schedule, user or job.") var id: String?
    @Option(help: "The workspace the question is about.") var workspace: String?
    @Option(help: "Content status: draft, scheduled, published or deleted.") var status: String?
    @Option(help: "An author (user id).") var author: String?
    @Option(help: "First day (YYYY-MM-DD).") var from: String?
    @Option(help: "Last day (YYYY-MM-DD).") var to: String?
    @Option(help: "A time (ISO-8601).") var dueBefore: String?
    @Option(help: "An email.") var email: String?
    @Option(help: "An audit subject (actor).") var subject: String?
    @Option(help: "An audit entity (stream name).") var entity: String?
    @Option(help: "A reader id.") var reader: String?
    @Option(help: "Items per page (1-100).") var limit: Int = 20
    @Option(help: "The nextCursor of the previous page.") var cursor: String?

    static let questions = ["content", "versions", "analytics", "dashboard", "optimal-times", "schedules", "users",
                            "audit", "recommendations", "channels", "jobs", "audiences"]

    func validate() throws {
        guard Self.questions.contains(question) else {
            throw ValidationError("unknown projection question '\(question)'; one of: \(Self.questions.joined(separator: ", "))")
        }
        guard Page<ContentView>.limits.contains(limit) else { throw ValidationError("--limit must be from 1 to 100") }
        if let status, ContentStatus(rawValue: status) == nil {
            throw ValidationError("--status must be draft, scheduled, published or deleted")
        }
        for (name, value) in [("from", from), ("to", to)] {
            guard let value, DayRange.day(value) == nil else { continue }
            throw ValidationError(DayRange.Problem.notADay(field: name).message { "--" + $0 })
        }
        if let dueBefore, Timestamp.parse(dueBefore) == nil { throw ValidationError("--due-before must be an ISO-8601 time") }
        if let cursor, PageCursor.decode(cursor) == nil { throw ValidationError("--cursor is not a cursor this tool gave") }
    }

    func run() async throws {
        var configuration = SmartContentEngine.Configuration()
        configuration.runsProjections = false
        let engine = try store.openEngine(configuration)
        do {
            try await engine.catchUp()
            let data = try await answer(engine)
            await engine.close()
            let stdout = FileOutput(descriptor: 1)
            stdout.write { $0.append(contentsOf: data); $0.append(UInt8(ascii: "\n")) }
            stdout.flush()
        } catch {
            await engine.close()
            if let error = error as? DomainError {
                throw CommandFailure(error.code == .notFound ? .notFound : .invalidInput, error.message)
            }
            throw error
        }
    }

    func required<T>(_ value: T?, _ flag: String) throws -> T {
        guard let value else { throw CommandFailure(.usage, "query \(question) needs \(flag)") }
        return value
    }

    func parsed<T: PrefixedID>(_ text: String?, _ flag: String, as _: T.Type) throws -> T {
        let text = try required(text, flag)
        guard let id = T(rawValue: text) else { throw CommandFailure(.usage, "\(flag) '\(text)' is not a \(T.prefix)… id") }
        return id
    }

    func days() throws -> (Int64, Int64) {
        do throws(DayRange.Problem) {
            let range = try DayRange(from: from, to: to, today: Instant.now.utcDay)
            return (range.first, range.last)
        } catch {
            throw CommandFailure(.usage, error.message { "--" + $0 })
        }
    }

    func answer(_ engine: SmartContentEngine) async throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let cursorBytes = cursor.flatMap(PageCursor.decode)
        switch question {
        case "content":
            let workspace = try parsed(workspace, "--workspace", as: WorkspaceID.self)
            if let id {
                let content = try parsed(id, "--id", as: ContentID.self)
                guard let view = try await engine.read(ContentProjection.self, { try $0.content(content, in: workspace) }) else {
                    throw CommandFailure(.notFound, "content \(content) was not found in \(workspace)")
                }
                return try encoder.encode(view)
            }
            let author = try author.map { try parsed($0, "--author", as: UserID.self) }
            let status = status.flatMap(ContentStatus.init(rawValue:))
            return try encoder.encode(try await engine.read(ContentProjection.self) { [limit] in
                try $0.list(in: workspace, status: status, author: author, limit: limit, cursor: cursorBytes)
            })
        case "versions":
            let content = try parsed(id, "--id", as: ContentID.self)
            return try encoder.encode(try await engine.read(ContentProjection.self) { try $0.versions(content) })
        case "analytics":
            let content = try parsed(id, "--id", as: ContentID.self)
            let (first, last) = try days()
            return try encoder.encode(try await engine.read(AnalyticsProjection.self) { try $0.content(content, fromDay: first, toDay: last) })
        case "dashboard":
            let workspace = try parsed(workspace, "--workspace", as: WorkspaceID.self)
            let (first, last) = try days()
            return try encoder.encode(try await engine.read(AnalyticsProjection.self) { try $0.dashboard(workspace, fromDay: first, toDay: last) })
        case "optimal-times":
            let workspace = try parsed(workspace, "--workspace", as: WorkspaceID.self)
            return try encoder.encode(try await engine.read(AnalyticsProjection.self) { try $0.bestPostingTimes(workspace) })
        case "schedules":
            if let id {
                let schedule = try parsed(id, "--id", as: ScheduleID.self)
                return try encoder.encode(try await engine.read(ScheduleProjection.self) { try $0.schedule(schedule) })
            }
            if let dueBefore, let millis = Timestamp.parse(dueBefore) {
                return try encoder.encode(try await engine.read(ScheduleProjection.self) { [limit] in
                    try $0.due(at: Instant(millisecondsSince1970: millis), limit: limit)
                })
            }
            let workspace = try parsed(workspace, "--workspace", as: WorkspaceID.self)
            let (first, last) = try days()
            return try encoder.encode(try await engine.read(ScheduleProjection.self) { [limit] in
                try $0.list(in: workspace, fromDay: first, toDay: last, limit: limit, cursor: cursorBytes)
            })
        case "users":
            if let workspace {
                let workspace = try parsed(workspace, "--workspace", as: WorkspaceID.self)
                return try encoder.encode(try await engine.read(UserProjection.self) { try $0.members(of: workspace) })
            }
            let now = Instant.now
            if email == nil && id == nil { throw CommandFailure(.usage, "query users needs --workspace, --id or --email") }
            let user: UserRecord? = if let email {
                try await engine.read(UserProjection.self) { try $0.user(email: email) }
            } else {
                try await engine.read(UserProjection.self) { [id] in try $0.user(UserID(rawValue: id ?? "") ?? "usr_none") }
            }
            guard let user, !user.isErased else { throw CommandFailure(.notFound, "no such user: \(email ?? id ?? "")") }
            return try encoder.encode(try await engine.read(UserProjection.self) { try $0.profile(user.userId, in: user.workspaceId, now: now) })
        case "audit":
            if let subject {
                let held = try engine.heldSubject(subject)
                return try encoder.encode(try await engine.read(AuditProjection.self) { [limit] in try $0.bySubject(held, limit: limit) })
            }
            let entity = try required(entity, "--subject or --entity")
            return try encoder.encode(try await engine.read(AuditProjection.self) { [limit] in try $0.byEntity(entity, limit: limit) })
        case "recommendations":
            if let reader {
                let held = try engine.heldSubject(reader)
                let interactions = try await engine.read(RecommendationProjection.self) { try $0.interactions(of: held) }
                return try encoder.encode(interactions.map { Interaction(contentId: $0.0, totals: EngagementTotals($0.1)) })
            }
            let content = try parsed(id, "--reader or --id", as: ContentID.self)
            let counts = try await engine.read(RecommendationProjection.self) { try $0.coEngagement(with: content) }
            return try encoder.encode(Dictionary(uniqueKeysWithValues: counts.map { ($0.key.rawValue, $0.value) }))
        case "channels":
            let workspace = try parsed(workspace, "--workspace", as: WorkspaceID.self)
            return try encoder.encode(try await engine.read(DistributionProjection.self) { try $0.channels(in: workspace) })
        case "jobs":
            let job = try parsed(id, "--id", as: JobID.self)
            return try encoder.encode(try await engine.read(DistributionProjection.self) { try $0.job(job) })
        default:
            let workspace = try parsed(workspace, "--workspace", as: WorkspaceID.self)
            return try encoder.encode(try await engine.read(AudienceProjection.self) { try $0.audiences(in: workspace) })
        }
    }
}
