import ArgumentParser
import Dispatch
import EventLog
import Foundation
import SmartContent
import SmartContentDomain

struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Print events of the log as JSON lines, in the wire format, for audit or export.",
        discussion: """
            Filters combine: an event is printed when it passes all of them. Memory stays \
            constant however long the log; the output can be piped into `smartcontent import`.

            Examples:
              smartcontent replay --from 1000 --to 2000
              smartcontent replay --stream content- --type ContentCreated --type ContentUpdated
              smartcontent replay --since 2026-02-01 --until 2026-02-15T12:00:00Z --actor usr_42
              smartcontent replay --follow --stream engagement-      # keep printing new events
            """
    )

    @OptionGroup var store: StoreOptions

    @Option(help: ArgumentHelp("First position to print (inclusive).", valueName: "position"))
    var from: UInt64 = 1

    @Option(help: ArgumentHelp("Last position to print (inclusive).", valueName: "position"))
    var to: UInt64?

    @Option(help: ArgumentHelp("Only events recorded at or after this time (ISO-8601, or YYYY-MM-DD).", valueName: "time"))
    var since: String?

    @Option(help: ArgumentHelp("Only events recorded before this time (ISO-8601, or YYYY-MM-DD).", valueName: "time"))
    var until: String?

    @Option(help: ArgumentHelp("Only streams whose name starts with this.", valueName: "prefix"))
    var stream: String?

    @Option(help: ArgumentHelp("Only events of this type (repeat for several).", valueName: "type"))
    var type: [String] = []

    @Option(help: ArgumentHelp("Only events whose metadata names this actor.", valueName: "user"))
    var actor: String?

    @Option(help: "Stop after printing this many events.")
    var limit: Int?

    @Flag(help: "After the last event, wait for new ones and print them as they arrive (stop with Ctrl-C).")
    var follow = false

    func validate() throws {
        if let to, to < from { throw ValidationError("--to (\(to)) is before --from (\(from))") }
        if let since, Timestamp.parse(since) == nil { throw ValidationError("--since: '\(since)' is not an ISO-8601 time") }
        if let until, Timestamp.parse(until) == nil { throw ValidationError("--until: '\(until)' is not an ISO-8601 time") }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
        if let since, let until, let start = Timestamp.parse(since), let end = Timestamp.parse(until), end <= start {
            throw ValidationError("--until (\(until)) is not after --since (\(since))")
        }
        // A filter that nothing can match is a typo: an empty answer would hide it.
        for name in type where !EventCatalog.typeNames.contains(name) {
            throw ValidationError("--type: '\(name)' is no event type (\(EventCatalog.typeNames.sorted().prefix(4).joined(separator: ", ")), …)")
        }
        if let stream, !Streams.canStart(with: stream) {
            throw ValidationError("--stream: no stream starts with '\(stream)' (streams are \(Streams.categories.map { $0 + "-…" }.joined(separator: ", ")), recommendations)")
        }
        if let actor, !Self.isActor(actor) {
            throw ValidationError("--actor: '\(actor)' is no actor (a usr_… id, or system)")
        }
    }

    /// `system`, or an id of the form `usr_…` (any three-letter prefix: imported logs may
    /// name other kinds of actors).
    static func isActor(_ text: String) -> Bool {
        if text == "system" { return true }
        let bytes = Array(text.utf8)
        guard bytes.count > 4, bytes.count <= 68, bytes[3] == UInt8(ascii: "_"),
              bytes[0..<3].allSatisfy({ (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) }) else { return false }
        return bytes[4...].allSatisfy { byte in
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
    }

    func run() async throws {
        let log = try store.openLog(create: false, readOnly: true)
        // Personal data is printed decrypted (an erased subject's reads as "[erased]"),
        // pseudonyms as the reader ids they stand for, credentials as "[redacted]".
        let vault = try store.existingVault(beside: log)
        defer { vault?.close() }
        // Events are rendered on every core, each thread with its own opener (an opener
        // remembers the pseudonyms it revealed, and is not shared).
        let stripes = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 4))
        let opens: [(DomainEvent) throws -> DomainEvent] = (0..<stripes).map { _ in
            if let display = vault?.displayOpener() { return display }
            return { event in event.mappingPersonalData { field, value in field.isCredential ? PersonalField.redacted : value } }
        }
        let reveals: [(ReaderID) throws -> ReaderID] = (0..<stripes).map { _ in vault?.readerRevealer() ?? { $0 } }
        let filter = EventFilter(streamPrefix: stream, types: type.isEmpty ? nil : Set(type))
        let sinceMillis = since.flatMap(Timestamp.parse) ?? .min
        let untilMillis = until.flatMap(Timestamp.parse) ?? .max
        let last = to ?? .max
        let stdout = FileOutput(descriptor: 1, capacity: 1 << 20)
        let output = BackgroundOutput(stdout)
        defer { output.drain() }  // what was rendered before a failure is printed before it
        var printed = 0
        let wanted = limit ?? .max

        /// What one thread printed of a stretch of positions: its lines, how many, and the
        /// error that stopped it after them, if one did.
        struct Rendered {
            var lines: [UInt8] = []
            var count = 0
            var failure: (any Error)?
        }
        // Sets of buffers in turn, one more than the output holds: the one a round renders
        // into is written already, and its memory is reused, not allocated and faulted in
        // afresh.
        let sets = BackgroundOutput.maxPending + 1
        var rounds = [[Rendered]](repeating: [Rendered](repeating: Rendered(), count: stripes), count: sets)
        var round = 0
        let actor = self.actor
        var progress = Progress(besideData: true)
        var total = try log.lastPosition()
        var next = from
        // Each round covers a stretch of positions, cut in one piece per thread: every
        // thread scans and renders its piece in a short snapshot of its own (a long-lived
        // reader would pin pages that writers want back), so the scan runs on every core
        // too. The pieces are written in order while the next round runs.
        let stretch: UInt64 = 8_192 * UInt64(stripes)
        while printed < wanted {
            if next > min(last, total) {
                total = try log.lastPosition()  // printing what was appended meanwhile too
                if next > min(last, total) { break }
            }
            let end = min(last, total, next + stretch - 1)
            // With a limit, one piece at a time, so that none renders past it.
            let pieces = limit == nil ? stripes : 1
            let (start, remaining) = (next, wanted - printed)
            rounds[round % sets].withUnsafeMutableBufferPointer { parts in
                // Each piece writes its own slot only.
                nonisolated(unsafe) let (parts, opens, reveals) = (parts, opens, reveals)
                DispatchQueue.concurrentPerform(iterations: pieces) { piece in
                    let first = start + (end - start + 1) * UInt64(piece) / UInt64(pieces)
                    let upper = start + (end - start + 1) * UInt64(piece + 1) / UInt64(pieces)  // exclusive
                    parts[piece].lines.removeAll(keepingCapacity: true)
                    parts[piece].count = 0
                    parts[piece].failure = nil
                    guard first < upper else { return }
                    do {
                        try log.withSnapshot { snapshot in
                            try snapshot.forEach(from: first, filter: filter, through: upper - 1) { view in
                                let recordedAt = view.recordedAt
                                if recordedAt < sinceMillis || recordedAt >= untilMillis { return true }
                                if let actor, try view.metadata().actor != actor { return true }
                                let lineStart = parts[piece].lines.count
                                do {
                                    try EventCatalog.appendWireLine(view, to: &parts[piece].lines, reading: opens[piece],
                                                                    revealingReaders: reveals[piece])
                                } catch {
                                    parts[piece].lines.removeSubrange(lineStart...)
                                    throw error
                                }
                                parts[piece].lines.append(UInt8(ascii: "\n"))
                                parts[piece].count += 1
                                return parts[piece].count < remaining
                            }
                        }
                    } catch {
                        parts[piece].failure = error  // after the lines rendered before it
                    }
                }
            }
            let parts = rounds[round % sets]
            round += 1
            // A failure ends the output where it happened: the pieces after it are dropped.
            let failed = (0..<pieces).first { parts[$0].failure != nil }
            let written = parts[0...(failed ?? pieces - 1)]
            output.enqueue(written.map(\.lines))
            printed += written.reduce(0) { $0 + $1.count }
            if let failed, let failure = parts[failed].failure {
                output.drain()
                throw failure
            }
            next = end + 1
            progress.update("replayed", done: min(end, total), total: total)
        }
        output.drain()
        progress.finish()
        stdout.flush()
        guard follow, printed < wanted, next <= last else { return }
        let open = opens[0]
        func appendWireLine(_ event: RecordedEvent, to out: inout [UInt8]) throws {
            guard event.payloadFormat == .binary else { return WireFormat.append(event, to: &out) }
            var rendered = event
            let decoded = try open(EventCatalog.decode(event))
            rendered.schemaVersion = decoded.schemaVersion
            rendered.payloadFormat = .json
            rendered.payload = Array(EventCatalog.encodeJSON(decoded))
            WireFormat.append(rendered, to: &out)
        }
        for try await event in log.subscribe(after: next - 1, filter: filter) {
            if event.position > last { break }
            if event.recordedAt < sinceMillis || event.recordedAt >= untilMillis { continue }
            if let actor, event.metadata.actor != actor { continue }
            try stdout.write { out in
                try appendWireLine(event, to: &out)
                out.append(UInt8(ascii: "\n"))
            }
            stdout.flush()
            printed += 1
            if printed >= wanted { break }
        }
    }
}
