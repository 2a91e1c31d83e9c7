import ArgumentParser
import EventLog
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
            importing a file twice appends it once.

            Prints {"imported": N, "skipped": N, "lastPosition": P}.

            Examples:
              smartcontent import events.jsonl
              smartcontent replay --data old-store | smartcontent import --data new-store -
            """
    )

    @OptionGroup var store: StoreOptions

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
            while let line = try reader.next() {
                if isBlank(line) { continue }
                _ = try parse(line, number: reader.lineNumber)
            }
        }
        var reader = try LineReader(path: file)
        defer { reader.close() }
        let log = try store.openLog(create: true)
        var imported = 0, skipped = 0
        var lastPosition = try log.lastPosition()
        var progress = Progress()
        do {
            var batch: [StreamAppend] = []
            var firstLine = 0
            func flush() async throws {
                guard !batch.isEmpty else { return }
                let results: [AppendResult]
                do {
                    results = try await log.append(batch, duplicates: .skipExisting)
                } catch {
                    var failure = CommandFailure(error)
                    failure.message = "lines \(firstLine)–\(reader.lineNumber): \(failure.message) "
                        + "(\(imported) events imported before this batch; nothing of it)"
                    throw failure
                }
                for result in results {
                    if result.alreadyPresent { skipped += 1 } else { imported += 1 }
                    if !result.alreadyPresent { lastPosition = max(lastPosition, result.lastPosition) }
                }
                batch.removeAll(keepingCapacity: true)
                progress.update("imported", done: UInt64(imported + skipped), total: nil)
            }
            while let line = try reader.next() {
                if isBlank(line) { continue }
                if batch.isEmpty { firstLine = reader.lineNumber }
                let parsed = try parse(line, number: reader.lineNumber)
                batch.append(StreamAppend(stream: parsed.stream, expectedVersion: parsed.expectedVersion, events: [parsed.event]))
                if batch.count >= batchSize { try await flush() }
            }
            try await flush()
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

    private func isBlank(_ line: ArraySlice<UInt8>) -> Bool {
        line.allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
    }

    private func parse(_ line: ArraySlice<UInt8>, number: Int) throws -> WireFormat.Line {
        do {
            var parsed = try WireFormat.parseLine(line)
            parsed.event = try EventCatalog.newEvent(from: parsed)
            return parsed
        } catch {
            throw CommandFailure(.invalidInput, "line \(number): \(error)")
        }
    }
}
