public import EventLog
import Foundation

extension EventCatalog {
    /// Validates an imported line against the catalog and turns it into the event to
    /// append: payload in binary at the current schema version (older versions upcast),
    /// stream checked against the one the event belongs to. `store` rewrites the event
    /// before it is encoded: the engine seals personal data there.
    public static func newEvent(
        from line: WireFormat.Line, storing store: (DomainEvent) throws -> DomainEvent = { $0 }
    ) throws -> NewEvent {
        newEvent(from: line, encoding: try store(try decode(line: line)))
    }

    /// The event an imported line holds, upcast, and checked against the stream it names.
    public static func decode(line: WireFormat.Line) throws -> DomainEvent {
        if line.event.type == EngagementRecorded.eventType, (1...EngagementRecorded.schemaVersion).contains(line.event.schemaVersion),
           line.stream.rawValue.hasPrefix("engagement-"), let engagement = EngagementRecorded(json: line.data),
           engagement.stream == line.stream.rawValue {
            return .engagementRecorded(engagement)
        }
        var text: [UInt8] = []
        line.data.write(to: &text)
        let event = try decode(type: line.event.type, schemaVersion: line.event.schemaVersion, json: Data(text))
        guard event.stream == line.stream.rawValue else {
            throw Failure.malformedPayload(type: event.type, reason: "belongs to stream '\(event.stream)', not '\(line.stream)'")
        }
        return event
    }

    /// The event to append for `line`, with `event` (the line's, sealed perhaps) as its
    /// binary payload. Sealing never moves an event to another stream.
    public static func newEvent(from line: WireFormat.Line, encoding event: DomainEvent) -> NewEvent {
        var stored = line.event
        stored.schemaVersion = event.schemaVersion
        stored.payloadFormat = .binary
        stored.payload = encodeBinary(event)
        return stored
    }

    /// Appends one wire-format line for a stored event, rendering a binary payload as JSON
    /// through the catalog; `read` rewrites the decoded event first (the engine opens
    /// sealed personal data there).
    public static func appendWireLine(
        _ view: EventView, to out: inout [UInt8], reading read: (DomainEvent) throws -> DomainEvent = { $0 }
    ) throws {
        guard view.payloadFormat == .binary else {
            try WireFormat.append(view, to: &out)
            return
        }
        let event = try read(try decode(view))
        if case .engagementRecorded(let engagement) = event {
            var json: [UInt8] = []
            json.reserveCapacity(192)
            if engagement.appendJSON(to: &json) {
                try WireFormat.append(view, schemaVersion: event.schemaVersion, jsonData: json, to: &out)
                return
            }
        }
        try WireFormat.append(view, schemaVersion: event.schemaVersion, jsonData: Array(encodeJSON(event)), to: &out)
    }
}
