import EventLog
import Testing

@Suite struct ReadTests {
    /// 3 streams interleaved: position p goes to content-a, content-b, engagement-c for
    /// p % 3 == 0, 1, 2; its type is Even or Odd as p; its payload {"p":p}.
    func interleaved(_ log: EventLog, count: Int) async throws {
        for p in 1...count {
            try await log.append([event(p % 2 == 0 ? "Even" : "Odd", #"{"p":\#(p)}"#)],
                                 to: StreamName(["content-a", "content-b", "engagement-c"][p % 3]))
        }
    }

    @Test func readsForwardAndBackwardByPosition() async throws {
        try await withLog { log, _ in
            try await interleaved(log, count: 10)
            #expect(try await log.read(from: 4, limit: 3).map(\.position) == [4, 5, 6])
            #expect(try await log.read(from: 4, direction: .backward, limit: 3).map(\.position) == [4, 3, 2])
            #expect(try await log.read(from: 99, direction: .backward, limit: 2).map(\.position) == [10, 9])
            #expect(try await log.read(from: 11).isEmpty)
            #expect(try await log.read(from: 0, direction: .backward).isEmpty)
        }
    }

    @Test func filtersByStreamPrefixAndType() async throws {
        try await withLog { log, _ in
            try await interleaved(log, count: 12)
            let content = try await log.read(filter: EventFilter(streamPrefix: "content-"))
            #expect(content.map(\.position) == [1, 3, 4, 6, 7, 9, 10, 12])
            let evenEngagement = try await log.read(filter: EventFilter(streamPrefix: "engagement-", types: ["Even"]))
            #expect(evenEngagement.map(\.position) == [2, 8])
            let odd = try await log.read(from: 12, direction: .backward, limit: 2, filter: EventFilter(types: ["Odd"]))
            #expect(odd.map(\.position) == [11, 9])
            #expect(try await log.read(filter: EventFilter(types: ["None"])).isEmpty)
        }
    }

    @Test func bytesHaveAPrefixOnlyWhenTheyBeginWithAllOfIt() {
        let cases: [([UInt8], [UInt8], Bool)] = [
            ([], [], true), ([1, 2], [], true), ([1, 2], [1], true), ([1, 2], [1, 2], true),
            ([1, 2], [1, 2, 3], false), ([1, 2], [2], false), ([], [0], false), ([1, 2, 3], [1, 3], false),
        ]
        for (bytes, prefix, expected) in cases {
            #expect(bytes.withUnsafeBytes { $0.hasPrefix(prefix) } == expected, "\(bytes) \(prefix)")
        }
    }

    @Test func aBoundedScanStopsAtItsBoundWhateverTheFilter() async throws {
        try await withLog { log, _ in
            try await interleaved(log, count: 12)
            func positions(from: UInt64, _ direction: ReadDirection = .forward, filter: EventFilter = .all, through: UInt64) throws -> [UInt64] {
                var seen: [UInt64] = []
                try log.withSnapshot { snapshot in
                    try snapshot.forEach(from: from, direction: direction, filter: filter, through: through) {
                        seen.append($0.position)
                        return true
                    }
                }
                return seen
            }
            #expect(try positions(from: 3, through: 6) == [3, 4, 5, 6])
            #expect(try positions(from: 9, .backward, through: 7) == [9, 8, 7])
            // The next match (5) lies past the bound: the scan ends without it.
            #expect(try positions(from: 1, filter: EventFilter(streamPrefix: "engagement-"), through: 4) == [2])
            #expect(try positions(from: 0, through: 0).isEmpty)
        }
    }

    @Test(arguments: [1, 31, 32, 33, 64, 100, 700])
    func readsStreamsInBothDirectionsFromAnyVersion(length: Int) async throws {
        var options = EventLog.Options()
        options.durability = .noSync
        try await withLog(options: options) { log, _ in
            // Interleave a noise stream so stream positions are not contiguous.
            for v in 0..<length {
                try await log.append([StreamAppend(stream: "noise", events: [event()]),
                                      StreamAppend(stream: "content-s", events: [event("T", #"{"v":\#(v)}"#)])])
            }
            let versions = Array(0..<UInt64(length))
            #expect(try await log.readStream("content-s").map(\.version) == versions)
            #expect(try await log.readStream("content-s").map(\.position) == versions.map { 2 * $0 + 2 })
            #expect(try await log.readStream("content-s", direction: .backward).map(\.version) == versions.reversed())
            for start in Set([0, 1, 31, 32, 33, length / 2, length - 1]) where start < length {
                let from = UInt64(start)
                #expect(try await log.readStream("content-s", from: from).map(\.version) == Array(from..<UInt64(length)))
                #expect(try await log.readStream("content-s", from: from, direction: .backward).map(\.version)
                    == Array((0...from).reversed()))
                #expect(try await log.readStream("content-s", from: from, limit: 5).map(\.version)
                    == Array(from..<min(from + 5, UInt64(length))))
            }
            #expect(try await log.readStream("content-s", from: UInt64(length)).isEmpty)
            #expect(try await log.readStream("missing").isEmpty)
            #expect(try log.verify().isHealthy)
        }
    }

    @Test func streamMetadataTellsHeadCreationAndLastPosition() async throws {
        try await withLog { log, _ in
            try await log.append([NewEvent(type: "A", payload: [], recordedAt: 1000)], to: "s")
            try await log.append([event()], to: "t")
            try await log.append([event(), event()], to: "s")
            let info = try #require(try await log.streamInfo("s"))
            #expect(info.headVersion == 2)
            #expect(info.firstPosition == 1)
            #expect(info.lastPosition == 4)
            #expect(info.createdAt == 1000)
            var names: [String] = []
            try log.withSnapshot { try $0.streams { names.append($0.stream.rawValue); return true } }
            #expect(names == ["s", "t"])
        }
    }

    @Test func asyncReadsGiveTheSameAnswers() async throws {
        try await withLog { log, _ in
            try await interleaved(log, count: 6)
            let viaAsync: [RecordedEvent] = try await log.read(from: 2, limit: 3)
            #expect(viaAsync == (try await log.read(from: 2, limit: 3) as [RecordedEvent]))
            let stream: [RecordedEvent] = try await log.readStream("content-a")
            #expect(stream.map(\.position) == [3, 6])
        }
    }
}
