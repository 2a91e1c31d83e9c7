import Foundation
import SmartContentDomain
@testable import SmartContentProjections
import Testing
import TestSupport

/// The sorted bulk writes every projection ends its batch with: rows past a table's last
/// key are appended (`MDB_APPEND`, which fails on a key out of order), the rest merged.
@Suite struct ProjectionWriterTests {
    let temporary = TemporaryDirectory("writer")
    var directory: String { temporary.path }

    func store() throws -> ProjectionStore { try ProjectionStore(name: "test", tables: ["rows"], directory: directory) }

    func key(_ bytes: [UInt8]) -> OrderedKey {
        var key = OrderedKey()
        for byte in bytes { key.append(byte) }
        return key
    }

    func batch(_ rows: [([UInt8], Int64)]) -> RowBatch {
        var batch = RowBatch()
        for (bytes, value) in rows { batch.append(key(bytes), value) }
        return batch
    }

    func rows(_ store: ProjectionStore) throws -> [([UInt8], Int)] {
        try store.read { reader in
            var rows: [([UInt8], Int)] = []
            try reader.scan("rows", prefix: OrderedKey()) { key, value in
                var binary = BinaryReader(value)
                rows.append((Array(key), Int(try Int64(from: &binary))))
                return true
            }
            return rows
        }
    }

    @Test func keysSharingLongPrefixesOrPrefixesOfEachOtherGoInLMDBOrder() throws {
        defer { temporary.remove() }
        let store = try store()
        defer { store.close() }
        let long = [UInt8](repeating: 7, count: 24)
        let keys: [[UInt8]] = [long + [1], long, long + [0], long + [0, 0], [7, 7], [7], [255], long + [1, 0], [0]]
        try store.write(through: 1) { writer in
            try writer.putAll("rows", batch(keys.enumerated().map { ($0.element, Int64($0.offset)) }))
        }
        let stored = try rows(store)
        let expected = keys.enumerated().sorted { $0.element.lexicographicallyPrecedes($1.element) }
        #expect(stored.map(\.0) == expected.map(\.element))
        #expect(stored.map(\.1) == expected.map(\.offset))
    }

    /// Past the 24 bytes every entry carries, keys are compared a word at a time: keys that
    /// differ in any byte of a word, or in a tail shorter than a word, or only in length,
    /// are still stored in byte order.
    @Test func longKeysDifferingPastThePrefixGoInByteOrder() throws {
        defer { temporary.remove() }
        let store = try store()
        defer { store.close() }
        let seed = TestSeed()
        var random = seed.generator
        let shared = [UInt8](repeating: 5, count: 24)
        var keys: [[UInt8]] = []
        for length in 25...45 {
            for _ in 0..<12 {
                var key = shared + (24..<length).map { _ in UInt8(4 + Int.random(in: 0...2, using: &random)) }
                // Differing only late: a shared word, then one byte.
                if Bool.random(using: &random), key.count > 33 { key.replaceSubrange(24..<32, with: repeatElement(5, count: 8)) }
                keys.append(key)
            }
        }
        keys.append(shared + [5, 5, 5, 5, 5, 5, 5, 5])
        keys.append(shared + [5, 5, 5, 5, 5, 5, 5, 5, 0])
        let unique = Array(Set(keys))
        try store.write(through: 1) { writer in
            try writer.putAll("rows", batch(unique.enumerated().map { ($0.element, Int64($0.offset)) }))
        }
        let expected = unique.enumerated().sorted { $0.element.lexicographicallyPrecedes($1.element) }
        let stored = try rows(store)
        #expect(stored.map(\.0) == expected.map(\.element), "\(seed)")
        #expect(stored.map(\.1) == expected.map(\.offset), "\(seed)")
    }

    @Test func aKeyGivenTwiceKeepsTheLastValueOrAddsBothDeltas() throws {
        defer { temporary.remove() }
        let store = try store()
        defer { store.close() }
        try store.write(through: 1) { writer in
            try writer.putAll("rows", batch([([2], 1), ([1], 5), ([2], 2)]))
        }
        #expect(try rows(store).map(\.1) == [5, 2])
        try store.write(through: 2) { writer in
            try writer.mergeAll("rows", batch([([3], 10), ([3], 20), ([1], 1)]), as: Int64.self, { $0 += $1 })
        }
        #expect(try rows(store).map(\.0) == [[1], [2], [3]])
        #expect(try rows(store).map(\.1) == [6, 2, 30])
    }

    @Test func equalKeysLongerThanTheSortedPrefixAreOneRow() throws {
        // Keys past 24 bytes that share those 24 are told apart, or found equal, by their bytes.
        defer { temporary.remove() }
        let store = try store()
        defer { store.close() }
        let long = [UInt8](repeating: 9, count: 30)
        try store.write(through: 1) { writer in
            try writer.putAll("rows", batch([(long + [2], 1), (long + [1], 2), (long + [2], 3)]))
        }
        #expect(try rows(store).map(\.0) == [long + [1], long + [2]])
        #expect(try rows(store).map(\.1) == [2, 3])
        try store.write(through: 2) { writer in
            try writer.mergeAll("rows", batch([(long + [3], 5), (long + [3], 6), (long + [1], 10)]), as: Int64.self, { $0 += $1 })
        }
        #expect(try rows(store).map(\.1) == [12, 3, 11])
    }

    @Test func oneRowMergedAtATimeSaysWhetherItIsNew() throws {
        defer { temporary.remove() }
        let store = try store()
        defer { store.close() }
        var news: [Bool] = []
        try store.write(through: 1) { writer in
            news.append(try writer.merge("rows", key([4]), Int64(3), { $0 += $1 }))
            news.append(try writer.merge("rows", key([4]), Int64(4), { $0 += $1 }))
        }
        #expect(news == [true, false])
        #expect(try rows(store).map(\.1) == [7])
    }

    @Test func rowsBeforeBetweenAndAfterStoredOnesAreMergedOrAppended() throws {
        defer { temporary.remove() }
        let store = try store()
        defer { store.close() }
        try store.write(through: 1) { writer in
            try writer.mergeAll("rows", batch([([10], 1), ([20], 1)]), as: Int64.self, { $0 += $1 })
        }
        var inserted: [[UInt8]] = []
        try store.write(through: 2) { writer in
            try writer.mergeAll("rows", batch([([25], 1), ([5], 1), ([20], 1), ([15], 1)]), as: Int64.self,
                                { $0 += $1 }, inserted: { inserted.append(Array($0)) })
        }
        #expect(try rows(store).map(\.0) == [[5], [10], [15], [20], [25]])
        #expect(try rows(store).map(\.1) == [1, 1, 1, 2, 1])
        #expect(inserted == [[5], [15], [25]])
    }

    @Test func aRadixSortIsStableAndOrdersDaysBeforeAndAfter1970() {
        let seed = TestSeed()
        var generator = seed.generator
        let days: [Int64] = [-1_000_000, -1, 0, 1, 20_454, 2_000_000_000]
        var deltas = (0..<10_000).map { index in
            EngagementDelta(high: Int.random(in: 0..<50, using: &generator),
                            low: EngagementDelta.low(day: days.randomElement(using: &generator)!),
                            kind: .view, milli: Int64(index))
        }
        let expected = deltas.enumerated().sorted { a, b in
            (a.element.high, EngagementDelta.day(low: a.element.low), a.offset)
                < (b.element.high, EngagementDelta.day(low: b.element.low), b.offset)
        }.map(\.element.milli)
        deltas.radixSort { $0.key }
        #expect(deltas.map(\.milli) == expected, "\(seed)")
    }
}
