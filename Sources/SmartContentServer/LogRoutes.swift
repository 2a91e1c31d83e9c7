import EventLog
import Foundation
import Hummingbird
import SmartContent
import SmartContentDomain
import SmartContentProjections

extension SmartContentAPI {
    struct LogPage: Encodable {
        var items: [JSONFragment]
        var nextCursor: String?
    }

    /// `/v1/events` (admins: their workspace's events of the log, in the wire format,
    /// paginated by position; password hashes never leave the server) and
    /// `/v1/projections` (checkpoint, lag and state of each).
    func addLogRoutes(to v1: RouteGroup) {
        v1.get("events") { request, context -> Response in
            let actor = try context.requireActor()
            guard actor.role == .admin else { throw APIError(.forbidden, "FORBIDDEN", "only admins read the log") }
            let limit = try request.pageLimit()
            var after: UInt64 = 0
            if let cursor = request.query("cursor") ?? request.query("after") {
                guard let position = UInt64(cursor) else { throw APIError.invalid("cursor", "cursor must be a log position") }
                after = position
            }
            let start = after
            let filter = EventFilter(streamPrefix: request.query("stream"), types: request.query("type").map { [$0] })
            let vault = engine.vault
            let workspace = actor.workspaceId.rawValue
            // What an admin of one workspace may read of the log: its events, opened, with
            // credentials blanked.
            let reading: @Sendable (DomainEvent) throws -> DomainEvent = { event in
                switch try vault.open(event) {
                case .userRegistered(var registered):
                    registered.passwordHash = "[redacted]"
                    return .userRegistered(registered)
                case .passwordChanged(var changed):
                    changed.passwordHash = "[redacted]"
                    return .passwordChanged(changed)
                case let opened:
                    return opened
                }
            }
            let page = try await engine.log.offload {
                try self.engine.log.withSnapshot { snapshot in
                    var items: [JSONFragment] = []
                    var last: UInt64 = start
                    var more = false
                    var line: [UInt8] = []
                    var scanned = 0
                    try snapshot.forEach(from: start + 1, filter: filter) { view in
                        scanned += 1
                        // A page stops after a bounded scan, so a sparse workspace in a
                        // long log still answers promptly; the cursor resumes from there.
                        guard view.metadataValue(forKey: "workspaceId") == workspace else {
                            last = view.position
                            if scanned >= 100_000 {
                                more = true
                                return false
                            }
                            return true
                        }
                        if items.count == limit {
                            more = true
                            return false
                        }
                        line.removeAll(keepingCapacity: true)
                        try EventCatalog.appendWireLine(view, to: &line, reading: reading)
                        items.append(JSONFragment(bytes: line))
                        last = view.position
                        return true
                    }
                    return LogPage(items: items, nextCursor: more ? String(last) : nil)
                }
            }
            return try context.respond(page)
        }
        v1.get("projections") { _, context -> Response in
            _ = try context.requireActor()
            return try context.respond(engine.projections.status())
        }
    }
}

/// JSON text already encoded (an event's wire line), embedded as is.
struct JSONFragment: Encodable {
    let bytes: [UInt8]

    func encode(to encoder: any Encoder) throws {
        // Foundation's encoder cannot splice raw JSON: decode to a neutral tree first.
        let value = try JSONDecoder().decode(AnyJSON.self, from: Data(bytes))
        try value.encode(to: encoder)
    }
}

/// Any JSON value, for re-encoding.
enum AnyJSON: Codable {
    case null, bool(Bool), number(Double), integer(Int64), string(String), array([AnyJSON]), object([String: AnyJSON])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Int64.self) { self = .integer(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([AnyJSON].self) { self = .array(value) }
        else { self = .object(try container.decode([String: AnyJSON].self)) }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .integer(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}
