import LMDB
import Testing
import TestSupport

/// LMDB answers a zero-length or over-long key with `MDB_BAD_VALSIZE` on some calls and
/// undefined behaviour on others; the wrapper refuses both before C sees them.
@Suite struct LMDBKeyTests {
    @Test func keysThatAreEmptyOrTooLongAreRefusedWithATypedError() throws {
        let directory = TemporaryDirectory("keys")
        let environment = try LMDBEnvironment(directory: directory.path)
        defer { environment.close() }
        let database = try environment.openDatabases(named: ["rows"])[0]
        #expect(environment.maxKeySize >= 511)
        let longest = [UInt8](repeating: 7, count: environment.maxKeySize)
        let tooLong = longest + [7]
        let value: [UInt8] = [1]
        try environment.write { txn in
            try longest.withUnsafeBytes { key in try value.withUnsafeBytes { try txn.put(database, key: key, value: $0) } }
        }
        for key in [[UInt8](), tooLong] {
            func refused(_ body: () throws -> Void, _ location: SourceLocation = #_sourceLocation) {
                do {
                    try body()
                    Issue.record("a key of \(key.count) bytes was taken", sourceLocation: location)
                } catch {
                    #expect((error as? LMDBError)?.code == .badValueSize, sourceLocation: location)
                    #expect("\(error)".contains("a key of \(key.count) bytes"), sourceLocation: location)
                }
            }
            try environment.write { txn in
                key.withUnsafeBytes { key in
                    value.withUnsafeBytes { value in
                        refused { try txn.put(database, key: key, value: value) }
                        refused { _ = try txn.insert(database, key: key, value: value) }
                    }
                    refused { _ = try txn.get(database, key: key) }
                    refused { _ = try txn.delete(database, key: key) }
                }
                try txn.withCursor(database) { cursor in
                    key.withUnsafeBytes { key in
                        refused { _ = try cursor.seek(atLeast: key) }
                        refused { _ = try cursor.seek(atMost: key) }
                    }
                }
            }
        }
        // Nothing was written by the refused calls; the longest key still reads back.
        let (count, stored) = try environment.read { txn in
            (try txn.count(database), try longest.withUnsafeBytes { try txn.get(database, key: $0)?.count })
        }
        #expect(count == 1)
        #expect(stored == 1)
    }
}
