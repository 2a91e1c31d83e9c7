// Appends to a log from many concurrent tasks and prints one line per acknowledged
// append: `ack <position> <event id> <stream> <version>`. The crash tests kill this process
// with SIGKILL at random moments and then check that every acknowledged event survived.
//
// usage: CrashWriter <log directory> <appenders> [sync|nosync]
import EventLog
import Foundation
#if canImport(Glibc)
import Glibc
#endif

// Appends until killed: if the test that started it dies first, die too, or it would
// fill the disk.
let parent = getppid()
if parent == 1 { exit(3) }
Thread.detachNewThread {
    while getppid() == parent { usleep(200_000) }
    _exit(3)
}

let arguments = CommandLine.arguments
guard arguments.count >= 3, let appenders = Int(arguments[2]) else {
    writeLine("usage: CrashWriter <log directory> <appenders> [sync|nosync]", to: 2)
    exit(2)
}
var options = EventLog.Options()
options.durability = arguments.count > 3 && arguments[3] == "nosync" ? .noSync : .sync
let log = try EventLog(directory: arguments[1], options: options)

func writeLine(_ line: String, to descriptor: Int32 = 1) {
    // One write(2) per line: lines from concurrent tasks never interleave.
    var line = line + "\n"
    line.withUTF8 { _ = write(descriptor, $0.baseAddress, $0.count) }
}

await withTaskGroup(of: Void.self) { group in
    for appender in 0..<appenders {
        group.addTask {
            let stream = try! StreamName("crash-\(appender)")
            var version = try! await log.streamInfo(stream)?.headVersion
            var n = 0
            while true {
                // Every third append carries several events: atomicity is checked too.
                let count = n % 3 == 0 ? 3 : 1
                let events = (0..<count).map { _ in
                    let id = EventID()
                    return NewEvent(id: id, type: "CrashTested",
                                    payload: Array(#"{"id":"\#(id)","pad":"\#(String(repeating: "x", count: 200))"}"#.utf8))
                }
                let expected: ExpectedVersion = version.map { .exact($0) } ?? .noStream
                let result = try! await log.append(events, to: stream, expectedVersion: expected)
                for (offset, event) in events.enumerated() {
                    let position = result.firstPosition + UInt64(offset)
                    let eventVersion = result.nextExpectedVersion - UInt64(count - 1 - offset)
                    writeLine("ack \(position) \(event.id) \(stream) \(eventVersion)")
                }
                version = result.nextExpectedVersion
                n += 1
            }
        }
    }
}
