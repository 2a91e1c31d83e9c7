// Folds the projections of a store in small batches and prints each checkpoint reached:
// `checkpoint <position>`. The crash tests kill it with SIGKILL between (and during)
// batches and check that nothing was lost or counted twice. A pause after each batch
// keeps it folding long enough for a busy test process to kill it mid-way.
//
// usage: ProjectionWorker <data directory> <batch size> [pause in ms]
import EventLog
import SmartContent
import SmartContentProjections
#if canImport(Glibc)
import Glibc
#endif

let arguments = CommandLine.arguments
guard (3...4).contains(arguments.count), let batchSize = Int(arguments[2]),
      let pause = arguments.count == 4 ? UInt32(arguments[3]) : 0 else {
    var usage = "usage: ProjectionWorker <data directory> <batch size> [pause in ms]\n"
    usage.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    exit(2)
}
var options = EventLog.Options()
options.readOnly = true
let log = try EventLog(directory: arguments[1] + "/log", options: options)
let vault = try PersonalDataVault(directory: arguments[1] + "/keys")
let runner = try ProjectionRunner(log: log, projections: SmartContentEngine.projectionTypes.map { $0.init() },
                                  directory: arguments[1] + "/projections", batchSize: batchSize, reading: vault.open)
while try runner.step() {
    let status = runner.status()
    for failed in status where failed.state == .failed {
        var line = "failed \(failed.name): \(failed.error ?? "")\n"
        line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    }
    let checkpoint = status.map(\.checkpoint).min() ?? 0
    var line = "checkpoint \(checkpoint)\n"
    line.withUTF8 { _ = write(1, $0.baseAddress, $0.count) }
    if pause > 0 { usleep(pause * 1000) }
}
print("done")
