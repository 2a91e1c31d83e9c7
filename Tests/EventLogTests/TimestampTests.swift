import EventLog
import Testing

@Suite struct TimestampTests {
    @Test func aDayPrintsAsTheDatePartOfItsMidnight() {
        for day in Array(-800...800) + [11_016, 20_454, 20_513, 2_932_896] {
            #expect(Timestamp.isoDate(day: Int64(day)) == String(Timestamp.iso8601(Int64(day) * 86_400_000).prefix(10)), "day \(day)")
        }
        #expect(Timestamp.isoDate(day: 0) == "1970-01-01")
        #expect(Timestamp.isoDate(day: 11_016) == "2000-02-29")
    }
}
