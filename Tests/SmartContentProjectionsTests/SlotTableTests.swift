@testable import SmartContentProjections
import Testing
import TestSupport

struct SlotTableTests {
    /// What the folds did with dictionaries before: the table must number ids the same way.
    struct Reference {
        var slots: [String: Int] = [:]
        var ids: [String] = []

        mutating func slot(_ id: String) -> Int {
            if let slot = slots[id] { return slot }
            slots[id] = ids.count
            ids.append(id)
            return ids.count - 1
        }

        mutating func forget(_ id: String) -> Int? { slots.removeValue(forKey: id) }
    }

    @Test func numbersIdsInTheOrderFirstMetAcrossGrowthAndForgetting() {
        let seed = TestSeed()
        var random = seed.generator
        // Short, word-long, long, empty and non-ASCII ids, and ids that differ only in length.
        let pool = (0..<3000).map { n -> String in
            switch n % 6 {
            case 0: "cnt_\(n)"
            case 1: "usr_\(n)_reader_with_a_long_name"
            case 2: String(repeating: "a", count: n % 40)
            case 3: "é\(n)ü"
            case 4: "12345678\(n)"
            default: String(repeating: "a", count: n % 40) + "\0"
            }
        }
        var table = SlotTable()
        var reference = Reference()
        for _ in 0..<40_000 {
            // Half the time a copy in storage of its own, as each decoded event's id is: ids
            // longer than 15 bytes are then told apart by their bytes, not their storage.
            let pooled = pool[Int.random(in: 0..<pool.count, using: &random)]
            let id = Bool.random(using: &random) ? String(decoding: Array(pooled.utf8), as: UTF8.self) : pooled
            switch Int.random(in: 0..<20, using: &random) {
            case 0:
                #expect(table.forget(id) == reference.forget(id), "\(seed)")
            case 1:
                #expect(table.find(id) == reference.slots[id], "\(seed)")
            default:
                #expect(table.slot(id) == reference.slot(id), "\(seed)")
            }
        }
        #expect(table.ids == reference.ids, "\(seed)")
        #expect(table.count == reference.ids.count, "\(seed)")
        for id in pool { #expect(table.find(id) == reference.slots[id], "\(seed)") }
    }

    @Test func idsAreToldApartByTheirBytes() {
        var table = SlotTable()
        let composed = "usr_\u{E9}", decomposed = "usr_e\u{301}"
        #expect(composed == decomposed, "Swift's == is canonical equivalence")
        #expect(table.slot(composed) == 0)
        #expect(table.slot(decomposed) == 1)
        for n in 0..<100 { _ = table.slot("cnt_\(n)") }
        #expect(table.find(composed) == 0 && table.find(decomposed) == 1)
    }

    @Test func aForgottenIdGetsANewSlotOnceAndKeepsIt() {
        var table = SlotTable()
        #expect(table.slot("usr_1") == 0)
        #expect(table.forget("usr_1") == 0)
        #expect(table.forget("usr_1") == nil, "forgotten already")
        #expect(table.find("usr_1") == nil)
        #expect(table.slot("usr_1") == 1)
        // Enough ids to grow the buckets several times: the new slot stays the one found.
        for n in 0..<1000 { _ = table.slot("cnt_\(n)") }
        #expect(table.find("usr_1") == 1)
        #expect(table.slot("usr_1") == 1)
        #expect(table[0] == "usr_1" && table[1] == "usr_1")
    }
}
