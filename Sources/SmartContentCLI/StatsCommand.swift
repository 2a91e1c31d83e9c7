import ArgumentParser
import EventLog

struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Print counts and sizes of the store as JSON.",
        discussion: """
            Fields: events, streams, lastPosition, firstRecordedAt and lastRecordedAt \
            (ISO-8601), fileBytes (pages in use), mapBytes (current map size), pageSize, \
            bytesPerEvent.

            Example:
              smartcontent stats --data /var/lib/smartcontent
            """
    )

    @OptionGroup var store: StoreOptions

    func run() async throws {
        let log = try store.openLog(create: false, readOnly: true)
        let statistics = try log.statistics()
        var object: [(key: String, value: JSONValue)] = [
            ("dataDirectory", .string(store.directory)),
            ("events", .number(String(statistics.events))),
            ("streams", .number(String(statistics.streams))),
            ("lastPosition", .number(String(statistics.lastPosition))),
            ("firstRecordedAt", statistics.firstRecordedAt.map { .string(Timestamp.iso8601($0)) } ?? .null),
            ("lastRecordedAt", statistics.lastRecordedAt.map { .string(Timestamp.iso8601($0)) } ?? .null),
            ("fileBytes", .number(String(statistics.fileBytes))),
            ("mapBytes", .number(String(statistics.mapBytes))),
            ("pageSize", .number(String(statistics.pageSize))),
        ]
        if statistics.events > 0 {
            object.append(("bytesPerEvent", .number(String(statistics.fileBytes / statistics.events))))
        }
        let stdout = FileOutput(descriptor: 1)
        stdout.write { JSONValue.object(object).write(to: &$0); $0.append(UInt8(ascii: "\n")) }
        stdout.flush()
    }
}
