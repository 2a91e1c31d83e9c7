import ArgumentParser
import EventLog
import Foundation
import SmartContent
import SmartContentDomain

struct RebuildCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebuild",
        abstract: "Fold the read models again from the log: in place, or as of a moment into another directory.",
        discussion: """
            In place (no --into): empties the chosen projections and folds them again from \
            position 0 — the disaster-recovery path when read models are lost or suspect. \
            Safe while a server runs on the same directory.

            Point in time (--into DIR, with --until): writes a complete store into DIR as it \
            was at that position or time — the log up to there and every projection folded \
            from it — without touching the live store. `query --data DIR` then answers as \
            of that moment.

            Prints {"projections": [...], "position": P, "events": N, "seconds": S} as JSON.

            Examples:
              smartcontent rebuild                                  # every projection, in place
              smartcontent rebuild --projection analytics
              smartcontent rebuild --until 2026-02-01T00:00:00Z --into /tmp/february
              smartcontent query dashboard --workspace wsp_1 --data /tmp/february
            """
    )

    @OptionGroup var store: StoreOptions

    @Option(help: ArgumentHelp("A projection name, or all.", valueName: "name|all"))
    var projection: String = "all"

    @Option(help: ArgumentHelp("Stop at this position, or at the last event recorded by this time (ISO-8601).",
                               valueName: "position|time"))
    var until: String?

    @Option(help: ArgumentHelp("Write the point-in-time store into this new (or empty) directory.", valueName: "dir"))
    var into: String?

    func validate() throws {
        if let until, UInt64(until) == nil, Timestamp.parse(until) == nil {
            throw ValidationError("--until must be a position or an ISO-8601 time, not '\(until)'")
        }
        if until != nil && into == nil {
            throw ValidationError("--until needs --into: a point-in-time rebuild never replaces the live read models")
        }
        let names = SmartContentEngine.projectionTypes.map { $0.name }
        if projection != "all", !names.contains(projection) {
            throw ValidationError("--projection must be all or one of: \(names.joined(separator: ", "))")
        }
    }

    func run() async throws {
        if let into {
            try refuseInsideStore(into, flag: "--into", store: store)
            let contents = (try? FileManager.default.contentsOfDirectory(atPath: into)) ?? []
            if !contents.isEmpty { throw CommandFailure(.refused, "--into \(into) is not empty; choose a new directory") }
        }
        var configuration = SmartContentEngine.Configuration()
        configuration.runsProjections = false
        let engine = try store.openEngine(configuration)
        let started = Date()
        let names = projection == "all" ? nil : [projection]
        let last = try engine.lastPosition()
        var position = last
        do {
            if let until {
                if let number = UInt64(until) {
                    position = min(number, last)
                } else if let millis = Timestamp.parse(until) {
                    position = try await engine.position(at: Instant(millisecondsSince1970: millis))
                }
            }
            if let into {
                var progress = Progress()
                var current = "copied"
                try await engine.pointInTime(until: position, into: into) { phase, done, total in
                    if phase != current {
                        // Each phase its own rate and ETA.
                        progress.finish()
                        progress = Progress()
                        current = phase
                    }
                    progress.update(phase, done: done, total: total)
                }
                progress.finish()
            } else {
                try await engine.resetProjections(names)
                // On a terminal, show how far the slowest projection has folded.
                let total = position
                let progressTask = Task {
                    var progress = Progress()
                    guard progress.enabled else { return }
                    while !Task.isCancelled {
                        let reached = engine.projectionStatus().map(\.checkpoint).min() ?? 0
                        progress.update("rebuilt", done: reached, total: total)
                        try? await Task.sleep(for: .milliseconds(200))
                    }
                    progress.finish()
                }
                defer { progressTask.cancel() }
                try await engine.catchUp()
                progressTask.cancel()
                await progressTask.value
            }
        } catch {
            await engine.close()
            throw error
        }
        await engine.close()
        let seconds = Date().timeIntervalSince(started)
        // A point-in-time store is complete: every projection is folded into it.
        let rebuilt = into == nil ? names ?? SmartContentEngine.projectionTypes.map { $0.name }
                                  : SmartContentEngine.projectionTypes.map { $0.name }
        let answer: [(key: String, value: JSONValue)] = [
            ("projections", .array(rebuilt.map { .string($0) })),
            ("position", .number(String(position))),
            ("events", .number(String(position))),
            ("seconds", .number(String(format: "%.3f", seconds))),
            ("into", into.map { .string($0) } ?? .null),
        ]
        let stdout = FileOutput(descriptor: 1)
        stdout.write { JSONValue.object(answer).write(to: &$0); $0.append(UInt8(ascii: "\n")) }
        stdout.flush()
    }
}
