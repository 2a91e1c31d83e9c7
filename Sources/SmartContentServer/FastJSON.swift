import EventLog
import SmartContentDomain
import SmartContentProjections

/// A response payload that writes its own JSON: the hot read routes (one content, its
/// analytics, the dashboard) skip Foundation's encoder, which cost more than the whole
/// rest of such a request. Output matches what `JSONEncoder` gives for the same values.
protocol FastJSONEncodable: Encodable {
    func writeJSON(to out: inout JSONOutput)
    /// About how many bytes the JSON takes, so the buffer is allocated once.
    var estimatedJSONSize: Int { get }
}

extension FastJSONEncodable {
    var estimatedJSONSize: Int { 1024 }
}

/// Appends JSON tokens to a byte buffer; commas are placed by the writer.
struct JSONOutput {
    var bytes: [UInt8] = []
    private var needsComma = false

    init(capacity: Int = 1024) { bytes.reserveCapacity(capacity) }

    mutating func object(_ body: (inout JSONOutput) -> Void) {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
        body(&self)
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    mutating func array<S: Sequence>(_ elements: S, _ body: (inout JSONOutput, S.Element) -> Void) {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
        for element in elements { body(&self, element) }
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    mutating func key(_ name: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    mutating func string(_ value: String) {
        separate()
        WireFormat.appendString(value, to: &bytes)
        needsComma = true
    }

    mutating func number(_ value: Int) {
        write(reserving: 21) { out in
            if value < 0 { out.write(UInt8(ascii: "-")) }
            out.writeNumber(UInt64(value.magnitude))
        }
    }

    /// A value of at most `maxCount` bytes written in one go, without a check per byte:
    /// the many small objects of an analytics answer cost an `Array` append per token
    /// otherwise.
    mutating func write(reserving maxCount: Int, _ body: (inout RawTextWriter) -> Void) {
        separate()
        bytes.append(reserving: maxCount, body)
        needsComma = true
    }

    /// JSON already encoded, as is.
    mutating func raw(_ json: [UInt8]) {
        separate()
        bytes.append(contentsOf: json)
        needsComma = true
    }

    mutating func bool(_ value: Bool) {
        separate()
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
        needsComma = true
    }

    mutating func null() {
        separate()
        bytes.append(contentsOf: "null".utf8)
        needsComma = true
    }

    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }
}

extension ContentView: FastJSONEncodable {
    func writeJSON(to out: inout JSONOutput) {
        out.object { out in
            out.key("contentId"); out.string(contentId.rawValue)
            out.key("workspaceId"); out.string(workspaceId.rawValue)
            out.key("authorId"); out.string(authorId.rawValue)
            out.key("title"); out.string(title)
            out.key("body"); out.string(body)
            out.key("contentType"); out.string(contentType.rawValue)
            out.key("tone"); if let tone { out.string(tone.rawValue) } else { out.null() }
            out.key("keywords"); out.array(keywords) { out, keyword in out.string(keyword) }
            out.key("status"); out.string(status.rawValue)
            out.key("version"); out.number(version)
            out.key("collaborators"); out.array(collaborators) { out, user in out.string(user.rawValue) }
            out.key("createdAt"); out.string(createdAt.iso8601)
            out.key("updatedAt"); out.string(updatedAt.iso8601)
        }
    }
}

extension RawTextWriter {
    /// The most a counter takes: `String(Double)`'s longest form.
    static let maxNumberCount = 24

    /// Integral values print without a fraction, as `JSONEncoder` prints them.
    mutating func writeNumber(_ value: Double) {
        if value == value.rounded(), abs(value) < 1e15 {
            if value < 0 { write(UInt8(ascii: "-")) }
            writeNumber(UInt64(abs(value)))
        } else {
            write(utf8: value.isFinite ? String(value) : "0")
        }
    }

    /// The six counters, as `"views":1,…,"conversionValue":0`.
    mutating func writeCounters(_ views: Double, _ clicks: Double, _ shares: Double, _ engagement: Double,
                                _ conversions: Double, _ conversionValue: Double) {
        write(#""views":"#); writeNumber(views)
        write(#","clicks":"#); writeNumber(clicks)
        write(#","shares":"#); writeNumber(shares)
        write(#","engagement":"#); writeNumber(engagement)
        write(#","conversions":"#); writeNumber(conversions)
        write(#","conversionValue":"#); writeNumber(conversionValue)
    }

    /// What ``writeCounters(_:_:_:_:_:_:)`` may take.
    static let maxCountersCount = 76 + 6 * maxNumberCount
}

extension EngagementTotals {
    func writeJSON(to out: inout JSONOutput) {
        out.write(reserving: RawTextWriter.maxCountersCount + 2) { out in
            out.write(UInt8(ascii: "{"))
            out.writeCounters(views, clicks, shares, engagement, conversions, conversionValue)
            out.write(UInt8(ascii: "}"))
        }
    }
}

extension DailyEngagement {
    func writeJSON(to out: inout JSONOutput) {
        out.write(reserving: RawTextWriter.maxCountersCount + 14 + date.utf8.count) { out in
            out.write(#"{"date":""#)
            out.write(utf8: date)
            out.write(#"","#)
            out.writeCounters(views, clicks, shares, engagement, conversions, conversionValue)
            out.write(UInt8(ascii: "}"))
        }
    }
}

extension ContentAnalytics: FastJSONEncodable {
    var estimatedJSONSize: Int { 280 + daily.count * 136 }

    func writeJSON(to out: inout JSONOutput) {
        out.object { out in
            out.key("contentId"); out.string(contentId.rawValue)
            out.key("totals"); totals.writeJSON(to: &out)
            out.key("daily"); out.array(daily) { out, day in day.writeJSON(to: &out) }
        }
    }
}

extension Dashboard: FastJSONEncodable {
    var estimatedJSONSize: Int { 256 + daily.count * 112 + topContent.count * 160 }

    func writeJSON(to out: inout JSONOutput) {
        out.object { out in
            out.key("workspaceId"); out.string(workspaceId.rawValue)
            out.key("from"); out.string(from)
            out.key("to"); out.string(to)
            out.key("totals"); totals.writeJSON(to: &out)
            out.key("topContent"); out.array(topContent) { out, ranking in
                out.object { out in
                    out.key("contentId"); out.string(ranking.contentId.rawValue)
                    out.key("totals"); ranking.totals.writeJSON(to: &out)
                }
            }
            out.key("daily"); out.array(daily) { out, day in day.writeJSON(to: &out) }
        }
    }
}
