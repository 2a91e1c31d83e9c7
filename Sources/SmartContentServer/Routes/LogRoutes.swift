import EventLog
import Foundation
import Hummingbird
import SmartContent
import SmartContentDomain
import SmartContentProjections

extension SmartContentAPI {
    struct LogPage: FastJSONEncodable {
        var items: [JSONFragment]
        var nextCursor: String?

        var estimatedJSONSize: Int { items.reduce(64) { $0 + $1.bytes.count + 1 } }

        func writeJSON(to out: inout JSONOutput) {
            out.object { out in
                out.key("items"); out.array(items) { out, item in out.raw(item.bytes) }
                out.key("nextCursor"); if let nextCursor { out.string(nextCursor) } else { out.null() }
            }
        }
    }

    /// `/v1/events` (admins: their workspace's events of the log, in the wire format,
    /// paginated by position; password hashes never leave the server) and
    /// `/v1/projections` (checkpoint, lag and state of each).
    func addLogRoutes(to v1: RouterGroup<APIContext>) {
        v1.get("events") { request, context -> Response in
            let actor = try context.requireActor()
            guard actor.role == .admin else { throw APIError(.forbidden, "FORBIDDEN", "only admins read the log") }
            let limit = try request.pageLimit()
            // `after` is another name for `cursor`; each is checked when given, the cursor wins.
            func position(_ name: String) throws -> UInt64? {
                guard let text = request.query(name) else { return nil }
                guard let position = UInt64(text) else { throw APIError.invalid(name, "\(name) must be a log position") }
                return position
            }
            let cursor = try position("cursor"), after = try position("after")
            let start = cursor ?? after ?? 0
            let filter = EventFilter(streamPrefix: request.query("stream"), types: request.query("type").map { [$0] })
            let vault = engine.vault
            let workspace = actor.workspaceId.rawValue
            // What an admin of one workspace may read of the log: its events, as people see
            // them (credentials redacted).
            let reading: @Sendable (DomainEvent) throws -> DomainEvent = { try vault.openForDisplay($0) }
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
            return context.respond(page)
        }
        v1.get("projections") { _, context -> Response in
            _ = try context.requireActor()
            return try context.respond(engine.projections.status())
        }
    }
}

/// JSON text already encoded (an event's wire line), spliced into the response as is, so
/// the API serves exactly what `replay` prints.
struct JSONFragment: Encodable {
    let bytes: [UInt8]

    /// Foundation's encoder cannot splice raw JSON; this path goes through the log's own
    /// exact parser. (The API's responses use ``FastJSONEncodable`` and splice.)
    func encode(to encoder: any Encoder) throws {
        try EncodableJSON(value: JSONValue(parsing: bytes)).encode(to: encoder)
    }
}

private struct EncodableJSON: Encodable {
    let value: JSONValue

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: any Encoder) throws {
        switch value {
        case .object(let fields):
            var container = encoder.container(keyedBy: Key.self)
            for (key, field) in fields { try container.encode(EncodableJSON(value: field), forKey: Key(stringValue: key)) }
        case .array(let items):
            var container = encoder.unkeyedContainer()
            for item in items { try container.encode(EncodableJSON(value: item)) }
        case .string(let text):
            var container = encoder.singleValueContainer()
            try container.encode(text)
        case .number(let text):
            var container = encoder.singleValueContainer()
            if let integer = Int64(text) { try container.encode(integer) } else { try container.encode(Double(text) ?? 0) }
        case .bool(let flag):
            var container = encoder.singleValueContainer()
            try container.encode(flag)
        case .null:
            var container = encoder.singleValueContainer()
            try container.encodeNil()
        }
    }
}
