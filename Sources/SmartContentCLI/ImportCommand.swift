import ArgumentParser
import Dispatch
import EventLog
import Foundation
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
            its line number, exit 4) appends nothing. The checked lines wait in a spool in \
            the data directory, encrypted, about 40% of the file's size, gone when the \
            command ends. From stdin, lines are checked and \
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
        // The second pass reads stdin as it comes, or a file's lines from the first pass.
        var stdin: LineReader?
        var spool: ImportSpool?
        if file == "-" {
            stdin = try LineReader(path: file)
        } else {
            // Where a first import makes the store: the spool lives there, and a bad file
            // leaves no directory behind.
            let madeDirectory = mkdir(store.directory, 0o700) == 0
            do {
                spool = try await checkAndSpool()
            } catch {
                if madeDirectory { rmdir(store.directory) }
                throw error
            }
        }
        defer { stdin?.close() }
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
        // A pipeline, so that both cores stay busy and the log's writer never waits: chunks
        // are parsed two ahead, the next one is sealed, encoded and queued behind the one
        // being appended, and a chunk's results are taken once the next is queued.
        let sequence = log.appendSequence(duplicates: .skipExisting)
        var parsing: [Task<ParsedChunk, any Error>] = []
        var preparing: Task<PreparedChunk, any Error>?
        var appending: (chunk: PreparedChunk, queued: QueuedAppend)?
        /// Counts what the chunk's batches appended; throws for the first that failed.
        func finish(_ chunk: PreparedChunk, _ queued: QueuedAppend) async throws {
            func failure(_ error: EventLogError, batch: Int) -> CommandFailure {
                var failure = CommandFailure(error)
                failure.message = "lines \(chunk.numbers[chunk.starts[batch]])–\(chunk.numbers[chunk.starts[batch] + chunk.batches[batch].count - 1]): "
                    + "\(failure.message) (\(imported) events imported before this batch; nothing of it)"
                return failure
            }
            let outcomes: [Result<[AppendResult], EventLogError>]
            do {
                outcomes = try await queued.results()
            } catch {
                throw failure(error, batch: 0)
            }
            for (batch, outcome) in outcomes.enumerated() {
                let results: [AppendResult]
                do { results = try outcome.get() } catch { throw failure(error, batch: batch) }
                let start = chunk.starts[batch]
                try vault.destroyKeys(erasedIn: Array(chunk.sealed[start..<start + results.count]), at: .now)
                for result in results {
                    if result.alreadyPresent { skipped += 1 } else { imported += 1 }
                    if !result.alreadyPresent { lastPosition = max(lastPosition, result.lastPosition) }
                }
            }
            progress.update("imported", done: UInt64(imported + skipped), total: nil, fraction: spool?.fractionRead ?? stdin?.fractionRead)
        }
        do {
            for _ in 0..<3 { parsing.append(try nextParsed(from: spool, or: &stdin)) }
            preparing = Self.prepare(parsing.removeFirst(), batchSize: batchSize, sealingWith: vault,
                                     remembering: PersonalDataVault.PseudonymMemory())
            while let task = preparing {
                var chunk = try await task.value
                preparing = nil
                if chunk.batches.isEmpty { break }
                parsing.append(try nextParsed(from: spool, or: &stdin))
                let pseudonyms = chunk.pseudonyms
                chunk.pseudonyms = PersonalDataVault.PseudonymMemory()  // handed on, not copied
                preparing = Self.prepare(parsing.removeFirst(), batchSize: batchSize, sealingWith: vault,
                                         remembering: pseudonyms)
                // The chunk's batches go in one call, so one commit usually takes them all;
                // each stays atomic, and none after a failed one is appended.
                let queued = sequence.enqueue(batches: chunk.batches)
                if let (previous, previousQueued) = appending { try await finish(previous, previousQueued) }
                appending = (chunk, queued)
            }
            if let (last, lastQueued) = appending {
                appending = nil
                try await finish(last, lastQueued)
            }
        } catch {
            // A chunk already queued must not be appended after the failure reported.
            sequence.stop()
            // The next chunk may still be sealing with the vault, which closes on return.
            _ = try? await appending?.queued.results()
            _ = try? await preparing?.value
            for task in parsing { _ = try? await task.value }
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

    /// The first pass over a file: every line parsed and checked, and spooled for the
    /// second. Chunks are parsed while the next ones are read, and spooled in file order,
    /// so the first bad line is the one reported.
    private func checkAndSpool() async throws -> ImportSpool {
        let spool = try ImportSpool(in: store.directory)
        let key = spool.key
        var reader = try LineReader(path: file)
        defer { reader.close() }
        var checking: [Task<Data, any Error>] = []
        do {
            while case let chunk = try nextChunk(&reader), !chunk.isEmpty {
                checking.append(Self.offPool {
                    try ImportSpool.seal(try Self.parse(chunk), numbers: chunk.lines.map(\.number), with: key)
                })
                if checking.count > 2 { try spool.append(try await checking.removeFirst().value) }
            }
            while !checking.isEmpty { try spool.append(try await checking.removeFirst().value) }
        } catch {
            for task in checking { _ = try? await task.value }
            throw error
        }
        return spool
    }

    /// The next chunk of the second pass, being parsed (or opened from the spool) on
    /// other threads; empty at the end.
    private func nextParsed(from spool: ImportSpool?, or stdin: inout LineReader?) throws -> Task<ParsedChunk, any Error> {
        guard let spool else { return Self.parsing(try nextChunk(&stdin!)) }
        guard let sealed = try spool.next() else { return Task { ParsedChunk(lines: [], numbers: []) } }
        let key = spool.key
        return Self.offPool {
            do {
                let (lines, numbers) = try ImportSpool.open(sealed, with: key)
                return ParsedChunk(lines: lines, numbers: numbers)
            } catch {
                throw CommandFailure(.store, "the import's spool does not read back: \(error)")
            }
        }
    }

    /// The next non-blank lines: a multiple of the batch size, so a batch never straddles
    /// two chunks.
    private func nextChunk(_ reader: inout LineReader) throws -> LineChunk {
        // Large, so that a commit carries many events: each rewrites the pages of every
        // stream head it moves, whatever the number of events behind them.
        let wanted = max(batchSize, 16_384 / batchSize * batchSize)
        var chunk = LineChunk()
        chunk.bytes.reserveCapacity(wanted * 384)
        while chunk.lines.count < wanted, let line = try reader.next() {
            if isBlank(line) { continue }
            let start = chunk.bytes.count
            chunk.bytes.append(contentsOf: line)
            chunk.lines.append((reader.lineNumber, start..<chunk.bytes.count))
        }
        return chunk
    }

    /// A chunk parsed, sealed and encoded, ready to append.
    struct PreparedChunk: Sendable {
        var numbers: [Int] = []
        /// The events as sealed.
        var sealed: [DomainEvent] = []
        /// The events to append, in batches of the batch size, and the index of each
        /// batch's first line.
        var batches: [[StreamAppend]] = []
        var starts: [Int] = []
        /// For sealing the next chunk.
        var pseudonyms: PersonalDataVault.PseudonymMemory
    }

    /// A chunk parsed and checked.
    struct ParsedChunk: Sendable {
        var lines: [EventCatalog.ImportLine]
        var numbers: [Int]
    }

    /// Parses `chunk` on other threads.
    private static func parsing(_ chunk: LineChunk) -> Task<ParsedChunk, any Error> {
        offPool { ParsedChunk(lines: try parse(chunk), numbers: chunk.lines.map(\.number)) }
    }

    /// Runs `work` on a Dispatch queue: Swift's cooperative pool has a thread per core, and
    /// work that blocks them (parsing on every core, sealing with its disk writes) would
    /// hold back the tasks that read the next chunk and hand batches to the log.
    private static func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) -> Task<T, any Error> {
        Task {
            try await withCheckedThrowingContinuation { continuation in
                DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
            }
        }
    }

    /// Seals and encodes the chunk `parsing` gives, on other threads. Personal data is
    /// sealed for the whole chunk at once: one durable commit makes the keys and pseudonyms
    /// of every subject and reader the chunk meets first, where a commit per line took
    /// milliseconds.
    private static func prepare(
        _ parsing: Task<ParsedChunk, any Error>, batchSize: Int, sealingWith vault: PersonalDataVault,
        remembering pseudonyms: PersonalDataVault.PseudonymMemory
    ) -> Task<PreparedChunk, any Error> {
        Task {
            let chunk = try await parsing.value
            return try await offPool {
                var pseudonyms = pseudonyms
                let sealed = try vault.seal(chunk.lines.map(\.decoded), remembering: &pseudonyms)
                let events = encode(chunk.lines, sealed: sealed)
                let starts = Array(stride(from: 0, to: events.count, by: batchSize))
                let batches = starts.map { start in
                    (start..<min(start + batchSize, events.count)).map { index in
                        StreamAppend(stream: chunk.lines[index].stream, expectedVersion: chunk.lines[index].expectedVersion,
                                     events: [events[index]])
                    }
                }
                return PreparedChunk(numbers: chunk.numbers, sealed: sealed, batches: batches,
                                     starts: starts, pseudonyms: pseudonyms)
            }.value
        }
    }

    /// Parses and checks a chunk of lines on every core; the first bad line (in file
    /// order) is the error.
    private static func parse(_ chunk: LineChunk) throws -> [EventCatalog.ImportLine] {
        let count = chunk.lines.count
        let stripes = min(count, 8)
        var lines = [EventCatalog.ImportLine?](repeating: nil, count: count)
        var failures = [(index: Int, error: any Error)?](repeating: nil, count: stripes)
        lines.withUnsafeMutableBufferPointer { lines in
            failures.withUnsafeMutableBufferPointer { failures in
                chunk.bytes.withUnsafeBytes { bytes in
                    // Each stripe writes its own slots only; the bytes are read only.
                    nonisolated(unsafe) let (lines, failures, bytes) = (lines, failures, bytes)
                    DispatchQueue.concurrentPerform(iterations: stripes) { stripe in
                        for index in count * stripe / stripes..<count * (stripe + 1) / stripes {
                            let (number, range) = chunk.lines[index]
                            do {
                                let line = try EventCatalog.importLine(UnsafeRawBufferPointer(rebasing: bytes[range]))
                                lines[index] = line
                            } catch {
                                failures[stripe] = (index, CommandFailure(.invalidInput, "line \(number): \(error)"))
                                return
                            }
                        }
                    }
                }
            }
        }
        // Stripes are consecutive: the first failing stripe holds the first bad line.
        if let failure = failures.lazy.compactMap({ $0 }).first { throw failure.error }
        return lines.map { $0! }
    }

    /// The events to append, encoded on every core.
    private static func encode(_ lines: [EventCatalog.ImportLine], sealed: [DomainEvent]) -> [NewEvent] {
        let count = lines.count
        let stripes = min(count, 8)
        var events = [NewEvent?](repeating: nil, count: count)
        events.withUnsafeMutableBufferPointer { events in
            nonisolated(unsafe) let events = events
            DispatchQueue.concurrentPerform(iterations: stripes) { stripe in
                for index in count * stripe / stripes..<count * (stripe + 1) / stripes {
                    events[index] = EventCatalog.newEvent(from: lines[index], encoding: sealed[index])
                }
            }
        }
        return events.map { $0! }
    }

    private func isBlank(_ line: ArraySlice<UInt8>) -> Bool {
        line.allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
    }
}

/// Lines of the input read together, their bytes in one buffer: a chunk of thousands of
/// lines is one allocation, not one per line.
struct LineChunk: Sendable {
    var bytes: [UInt8] = []
    var lines: [(number: Int, range: Range<Int>)] = []
    var isEmpty: Bool { lines.isEmpty }
}
