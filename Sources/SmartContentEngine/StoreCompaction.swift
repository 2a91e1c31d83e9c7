import Foundation
import LMDB
#if canImport(Glibc)
import Glibc
#endif

/// Rewrites every LMDB environment of a store (the log, the keys, the sessions, every
/// projection) without its free pages: what leaves the files after an update or an erasure.
public enum StoreCompaction {
    public struct Report: Sendable, Hashable {
        public var bytesBefore: Int
        public var bytesAfter: Int
    }

    public enum Failure: Error, CustomStringConvertible, Sendable {
        case cannotReplace(String, reason: String)

        public var description: String {
            switch self {
            case .cannotReplace(let path, let reason): "cannot replace \(path): \(reason)"
            }
        }
    }

    /// Compacts the store in `directory`, which no other process may have open: the store
    /// lock is taken exclusively, and ``StoreLock/Failure/busy(_:)`` thrown at once when
    /// a server or another tool holds it. `progress` hears of each environment done.
    ///
    /// Each environment is copied compacted beside itself, then put in place of the
    /// original with rename(2): a crash leaves either the old file or the new one.
    public static func compact(
        directory: String, progress: (_ done: Int, _ total: Int, _ environment: String) -> Void = { _, _, _ in }
    ) throws -> Report {
        let lock = try StoreLock(directory: directory, exclusive: true)
        defer { withExtendedLifetime(lock) {} }
        var environments = [directory + "/log", directory + "/keys", directory + "/sessions"]
        let projections = directory + "/projections"
        for name in (try? FileManager.default.contentsOfDirectory(atPath: projections))?.sorted() ?? [] {
            environments.append(projections + "/" + name)
        }
        environments.removeAll { !FileManager.default.fileExists(atPath: $0 + "/data.mdb") }
        var report = Report(bytesBefore: 0, bytesAfter: 0)
        for (index, environment) in environments.enumerated() {
            report.bytesBefore += size(environment + "/data.mdb")
            let scratch = environment + ".compacting"
            try? FileManager.default.removeItem(atPath: scratch)
            try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
            do {
                let source = try LMDBEnvironment(directory: environment)
                defer { source.close() }
                try source.copy(to: scratch, compact: true)
            }
            guard rename(scratch + "/data.mdb", environment + "/data.mdb") == 0 else {
                throw Failure.cannotReplace(environment + "/data.mdb", reason: String(cString: strerror(errno)))
            }
            try? FileManager.default.removeItem(atPath: scratch)
            report.bytesAfter += size(environment + "/data.mdb")
            progress(index + 1, environments.count, environment)
        }
        return report
    }

    static func size(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0
    }
}
