import EventLog
import Testing
import TestSupport

/// The README's embedding example, kept compiling and running.
@Test func theReadmeExampleRuns() async throws {
    let directory = TemporaryDirectory()
    let log = try EventLog(directory: directory.path)

    // Append atomically, expecting a new stream.
    let created = try await log.append(
        [NewEvent(type: "ContentCreated", metadata: ["actor": "usr_1"],
                  payload: Array(#"{"contentId":"cnt_1","title":"Hello"}"#.utf8))],
        to: "content-cnt_1", expectedVersion: .noStream)

    // Read a stream, or the whole log filtered.
    let history = try await log.readStream("content-cnt_1")
    let published = try await log.read(filter: EventFilter(streamPrefix: "content-", types: ["ContentPublished"]))

    // Follow the log: everything after a checkpoint, then live events.
    let subscription = Task {
        var seen = 0
        for try await event in log.subscribe(after: 0) {
            print(event.position, event.stream, event.type)
            seen += 1
            if seen == 1 { break }
        }
        return seen
    }

    #expect(created.lastPosition == 1)
    #expect(history.map(\.type) == ["ContentCreated"])
    #expect(published.isEmpty)
    #expect(try await subscription.value == 1)
    subscription.cancel()
    await log.close()
}
