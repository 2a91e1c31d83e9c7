import EventLog
import Foundation
import TestSupport

func event(_ type: String = "Tested", _ json: String = #"{"n":1}"#, id: EventID = EventID(), metadata: EventMetadata = [:]) -> NewEvent {
    NewEvent(id: id, type: type, metadata: metadata, payload: Array(json.utf8))
}

/// Opens a log in a fresh directory, runs `body`, and closes the log.
func withLog<R>(
    options: EventLog.Options = EventLog.Options(), _ body: (EventLog, TemporaryDirectory) async throws -> R
) async throws -> R {
    let directory = TemporaryDirectory()
    let log = try EventLog(directory: directory.path, options: options)
    do {
        let result = try await body(log, directory)
        await log.close()
        return result
    } catch {
        await log.close()
        throw error
    }
}

extension RecordedEvent {
    var text: String { String(decoding: payload, as: UTF8.self) }
}

extension EventLog {
    /// Forces the synchronous overload, which async contexts would otherwise not pick.
    func syncRead(from position: UInt64, limit: Int) -> [RecordedEvent] {
        try! read(from: position, limit: limit)
    }
}
