import ArgumentParser
import Dispatch
import EventLog
import SmartContent
import SmartContentDomain

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Append events from a JSON-lines file in the wire format (one event per line).",
        discussion: """
            Each line is an object with stream, type and data, and optionally id, \
            schemaVersion, metadata, recordedAt and expectedVersion; position and version, \
            if present, are ignored (the log assigns them). Blank lines are skipped. Types \
            and payloads are checked against the event catalog (an unknown type, a missing \
            or malformed field, or a stream that does not match the event is a bad line), \
            and older schema versions are upcast.

            A file is checked whole before anything is appended: one bad line (reported with \
            its line number, exit 4) appends nothing. From stdin, lines are checked and \
            appended in batches of --batch-size; a bad line stops the import and appends \
            nothing of its batch. Events whose id is already in the log are skipped, so \
            importing a file twice appends its lines that carry an `id` once (lines without \
            one get a fresh id each time: give ids to make an import repeatable; `replay` \
            output always has them).

            Prints {"imported": N, "skipped": N, "lastPosition": P}.

            Examples:
              smartcontent import events.jsonl
              smartcontent replay --data old-store | smartcontent import --data new-store -
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var durability: DurabilityOptions

    @Argument(help: ArgumentHelp("The file to import, or - for stdin.", valueName: "file.jsonl|-"))
    var file: String

    @Option(help: "Events per atomic append.")
    var batchSize = 1000

    func validate() throws {
        guard (1...100_000).contains(batchSize) else { throw ValidationError("--batch-size must be from 1 to 100000") }
    }

    func run() async throws {
        if file != "-" {
            // First pass: the whole file must be valid before the first append.
            var reader = try LineReader(path: file)
            defer { reader.close() }
            while case let chunk = try nextChunk(&reader), !chunk.isEmpty {
                _ = try parse(chunk, sealingWith: nil)
            }
        }
        var reader = try LineReader(path: file)
        defer { reader.close() }
        let log = try store.openLog(create: true, durability: durability.resolved)
        let vault: PersonalDataVault
        do { vault = try store.openVault(beside: log) } catch {
            await log.close()
            throw error
        }
        defer { vault.close() }
        var imported = 0, skipped = 0
        var lastPosition = try log.lastPosition()
        var progress = Progress()
        do {
            while case let chunk = try nextChunk(&reader), !chunk.isEmpty {
                let lines = try parse(chunk, sealingWith: vault)
                for start in stride(from: 0, to: lines.count, by: batchSize) {
                    let part = lines[start..<min(start + batchSize, lines.count)]
                    let batch = part.map { StreamAppend(stream: $0.stream, expectedVersion: $0.expectedVersion, events: [$0.event]) }
                    let results: [AppendResult]
                    do {
                        results = try await log.append(batch, duplicates: .skipExisting)
                    } catch {
                        var failure = CommandFailure(error)
                        failure.message = "lines \(chunk[start].number)–\(chunk[start + part.count - 1].number): "
                            + "\(failure.message) (\(imported) events imported before this batch; nothing of it)"
                        throw failure
                    }
                    try vault.destroyKeys(erasedIn: part.map(\.event), at: .now)
                    for result in results {
                        if result.alreadyPresent { skipped += 1 } else { imported += 1 }
                        if !result.alreadyPresent { lastPosition = max(lastPosition, result.lastPosition) }
                    }
                    progress.update("imported", done: UInt64(imported + skipped), total: nil, fraction: reader.fractionRead)
                }
            }
        } catch {
            progress.finish()
            await log.close()
            throw error
        }
        progress.finish()
        await log.close()
        let stdout = FileOutput(descriptor: 1)
        stdout.write(#"{"imported":\#(imported),"skipped":\#(skipped),"lastPosition":\#(lastPosition)}"# + "\n")
        stdout.flush()
    }

    /// The next non-blank lines, with their numbers: a multiple of the batch size, so a
    /// batch never straddles two chunks.
    private func nextChunk(_ reader: inout LineReader) throws -> [(number: Int, bytes: [UInt8])] {
        let wanted = max(batchSize, 4096 / batchSize * batchSize)
        var chunk: [(number: Int, bytes: [UInt8])] = []
        while chunk.count < wanted, let line = try reader.next() {
            if isBlank(line) { continue }
            chunk.append((reader.lineNumber, Array(line)))
        }
        return chunk
    }

    /// Parses and checks a chunk of lines on every core; the first bad line (in file
    /// order) is the error. Personal data is sealed with `vault` (`nil` only checks), for
    /// the whole chunk at once: one durable commit makes the keys and pseudonyms of every
    /// subject and reader the chunk meets first, where a commit per line took milliseconds.
    private func parse(_ chunk: [(number: Int, bytes: [UInt8])], sealingWith vault: PersonalDataVault?) throws -> [WireFormat.Line] {
        var results = [Result<(line: WireFormat.Line, event: DomainEvent), any Error>?](repeating: nil, count: chunk.count)
        let stripes = min(chunk.count, 8)
        results.withUnsafeMutableBufferPointer { buffer in
            // Each stripe writes its own indices only, so the threads never share a slot.
            nonisolated(unsafe) let slots = buffer
            DispatchQueue.concurrentPerform(iterations: stripes) { stripe in
                for index in stride(from: stripe, to: chunk.count, by: stripes) {
                    slots[index] = Result { try parse(chunk[index].bytes[...], number: chunk[index].number) }
                }
            }
        }
        let parsed = try results.map { try $0!.get() }
        let events = try vault?.seal(parsed.map(\.event)) ?? parsed.map(\.event)
        return zip(parsed, events).map { parsed, event in
            var line = parsed.line
            line.event = EventCatalog.newEvent(from: line, encoding: event)
            return line
        }
    }

    private func isBlank(_ line: ArraySlice<UInt8>) -> Bool {
        line.allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
    }

    private func parse(_ line: ArraySlice<UInt8>, number: Int) throws -> (line: WireFormat.Line, event: DomainEvent) {
        do {
            let parsed = try WireFormat.parseLine(line)
            return (parsed, try EventCatalog.decode(line: parsed))
        } catch {
            throw CommandFailure(.invalidInput, "line \(number): \(error)")
        }
    }
}
