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
           line.stream.rawValue.hasPrefix(Streams.engagement.prefix), let engagement = EngagementRecorded(json: line.data),
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
    /// sealed personal data there). Appends nothing when it throws.
    public static func appendWireLine(
        _ view: EventView, to out: inout [UInt8], reading read: (DomainEvent) throws -> DomainEvent = { $0 }
    ) throws {
        guard view.payloadFormat == .binary else {
            try WireFormat.append(view, to: &out)
            return
        }
        let event = try read(try decode(view))
        try WireFormat.appendEnvelope(view, schemaVersion: event.schemaVersion, to: &out)
        if !appendJSON(event, to: &out) { out.append(contentsOf: encodeJSON(event)) }
        out.append(UInt8(ascii: "}"))
    }

    /// ``appendWireLine(_:to:reading:)`` for a pass over the log (`replay`): engagement,
    /// most of any log, is rendered straight from its stored bytes, its reader id passed
    /// through `reveal` when it is a pseudonym, and `read` is not called for it. So `read`
    /// must change an engagement in no other way than `reveal` changes its reader (the
    /// engine's display openers do just that: engagement carries no personal data).
    public static func appendWireLine(
        _ view: EventView, to out: inout [UInt8], reading read: (DomainEvent) throws -> DomainEvent,
        revealingReaders reveal: (ReaderID) throws -> ReaderID
    ) throws {
        if view.payloadFormat == .binary, view.schemaVersion == EngagementRecorded.schemaVersion, isEngagement(view.typeBytes) {
            // One copy into `out` for the whole line, which is written where room for the
            // longest it can be was reserved.
            var written = false
            try out.append(reserving: WireFormat.maxEnvelopeCount(view) + EngagementRecorded.maxJSONCount(stored: view.payloadBytes)) { line in
                var envelope = line
                try WireFormat.writeEnvelope(view, schemaVersion: EngagementRecorded.schemaVersion, to: &envelope)
                guard try EngagementRecorded.writeJSON(stored: view.payloadBytes, revealing: reveal, to: &envelope) else { return }
                envelope.write(UInt8(ascii: "}"))
                line = envelope
                written = true
            }
            if written { return }
        }
        try appendWireLine(view, to: &out, reading: read)
    }

    /// Appends ``encodeJSON(_:)``'s bytes for the events that have a writer of their own
    /// (most of a log); `false`, with nothing appended, for the others.
    static func appendJSON(_ event: DomainEvent, to out: inout [UInt8]) -> Bool {
        switch event {
        case .engagementRecorded(let engagement): engagement.appendJSON(to: &out)
        case .contentCreated(let created): created.appendJSON(to: &out)
        default: false
        }
    }
}
