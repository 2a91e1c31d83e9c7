import EventLog
import LMDB

/// A failure with the exit code the CLI documents.
struct CommandFailure: Error {
    enum Code: Int32 {
        case checkFailed = 1
        case usage = 2
        case conflict = 3
        case invalidInput = 4
        case store = 5
        case refused = 6
        case notFound = 7
    }

    var code: Code
    var message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    init(_ error: EventLogError) {
        switch error {
        case .wrongExpectedVersion, .eventIDConflict: self.init(.conflict, "\(error)")
        case .invalidEvent, .invalidStreamName: self.init(.invalidInput, "\(error)")
        case .storage(let lmdb) where lmdb.code == .busy:
            self.init(.store, "\(error) — is another command of this process holding it?")
        case .corruptRecord, .unsupportedFormat, .storage, .closed: self.init(.store, "\(error)")
        }
    }
}
