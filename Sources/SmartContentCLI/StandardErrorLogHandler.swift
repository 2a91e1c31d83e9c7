import Logging

/// Writes to stderr as `StreamLogHandler` does, but formats its metadata only for the
/// lines it writes: `StreamLogHandler` formats it whenever it changes, and every request
/// sets some (its ids) while few requests log anything.
struct StandardErrorLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]

    init(label: String, logLevel: Logger.Level) {
        self.label = label
        self.logLevel = logLevel
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(level: Logger.Level, message: Logger.Message, metadata explicit: Logger.Metadata?, source: String,
             file: String, function: String, line: UInt) {
        var stream = StreamLogHandler.standardError(label: label)
        stream.logLevel = logLevel
        stream.metadata = metadata
        stream.log(level: level, message: message, metadata: explicit, source: source, file: file, function: function, line: line)
    }
}
