import EventLog
import Foundation
import HTTPTypes
import SmartContentTesting
import Testing

/// Every figure of a ranged answer is of that range: leaders and posting times included.
@Suite(.timeLimit(.minutes(5))) struct AnalyticsRangeTests {
    @Test func leadersAndPostingTimesAreThoseOfTheRangeAsked() async throws {
        try await withAPI { api, _, _ in
            let ann = try await api.user("ann@example.com")
            func content(_ title: String) async throws -> String {
                let created = try await api.call(.post, "/v1/content", token: ann.token,
                                                 json: #"{"title":"\#(title)","body":"B","contentType":"article"}"#)
                return created.data["contentId"]?.stringValue ?? ""
            }
            let popular = try await content("Popular"), quiet = try await content("Quiet")
            func views(_ id: String, _ count: Int, at time: String) -> String {
                Array(repeating: #"{"contentId":"\#(id)","kind":"view","occurredAt":"\#(time)"}"#, count: count).joined(separator: ",")
            }
            // Popular: 82 views on Tuesday 10 February at 09:00; quiet: 3 on Thursday the 12th at 17:00.
            let batch = "{\"events\":[\(views(popular, 82, at: "2026-02-10T09:00:00Z")),\(views(quiet, 3, at: "2026-02-12T17:00:00Z"))]}"
            let recorded = try await api.call(.post, "/v1/analytics/events", token: ann.token, json: batch)
            #expect(recorded.status == .accepted, "\(recorded.text)")

            let thursday = try await api.call(.get, "/v1/analytics/dashboard?from=2026-02-12&to=2026-02-12", token: ann.token)
            #expect(thursday.data["topContent"]?.count == 1, "\(thursday.text)")
            #expect(thursday.data["topContent"]?[0]?["contentId"]?.stringValue == quiet)
            #expect(thursday.data["topContent"]?[0]?["totals"]?["views"] == .number("3"))

            let empty = try await api.call(.get, "/v1/analytics/reports?from=2026-02-20&to=2026-02-21", token: ann.token)
            #expect(empty.data["topContent"]?.count == 0, "a range without engagement has no leader: \(empty.text)")
            #expect(empty.data["bestPostingTimes"]?.count == 0)

            let week = try await api.call(.get, "/v1/analytics/reports?from=2026-02-09&to=2026-02-15", token: ann.token)
            #expect(week.data["topContent"]?[0]?["contentId"]?.stringValue == popular)
            #expect(week.data["topContent"]?[0]?["totals"]?["views"] == .number("82"))
            #expect(week.data["bestPostingTimes"]?[0]?["dayOfWeek"] == .number("1"), "Tuesday: \(week.text)")
            #expect(week.data["bestPostingTimes"]?[0]?["hour"] == .number("9"))
            let thursdayReport = try await api.call(.get, "/v1/analytics/reports?from=2026-02-11&to=2026-02-13", token: ann.token)
            #expect(thursdayReport.data["bestPostingTimes"]?.count == 1)
            #expect(thursdayReport.data["bestPostingTimes"]?[0]?["dayOfWeek"] == .number("3"))
            #expect(thursdayReport.data["bestPostingTimes"]?[0]?["hour"] == .number("17"))
            #expect(thursdayReport.data["bestPostingTimes"]?[0]?["totals"]?["views"] == .number("3"))
        }
    }
}
