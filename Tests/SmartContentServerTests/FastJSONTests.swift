import Foundation
@testable import SmartContentServer
import SmartContentDomain
import SmartContentProjections
import SmartContentTesting
import Testing

/// The hand-written JSON of the hot routes must say exactly what Foundation's would.
@Suite struct FastJSONTests {
    func roundTrip<T: FastJSONEncodable & Decodable & Equatable>(_ value: T) throws {
        var out = JSONOutput()
        value.writeJSON(to: &out)
        #expect(try JSONDecoder().decode(T.self, from: Data(out.bytes)) == value)
        #expect(try JSONSerialization.jsonObject(with: Data(out.bytes)) as? NSDictionary != nil)
    }

    @Test func contentAnalyticsAndDashboardsDecodeBackToThemselves() async throws {
        let test = try TestEngine()
        let actor = try await test.user("ann@example.com")
        let created = try await test.engine.createContent(
            .init(title: "Quotes \" and \\ backslashes, émojis 🎉", body: "line\nbreak\tand a tab", contentType: .article,
                  tone: nil, keywords: ["a", "b"]), by: actor)
        _ = try await test.engine.recordEngagement([
            .init(contentId: created.value.contentId, kind: .view, occurredAt: test.now),
            .init(contentId: created.value.contentId, kind: .conversion, occurredAt: test.now, value: 0.1),
        ], by: actor)
        try await test.settle()
        let content = try await test.engine.read(ContentProjection.self) { try $0.content(created.value.contentId, in: actor.workspaceId) }
        try roundTrip(try #require(content))
        let day = test.now.utcDay
        let analytics = try await test.engine.read(AnalyticsProjection.self) {
            try $0.content(created.value.contentId, fromDay: day - 2, toDay: day)
        }
        try roundTrip(analytics)
        try roundTrip(try await test.engine.read(AnalyticsProjection.self) { try $0.dashboard(actor.workspaceId, fromDay: day - 2, toDay: day) })
        await test.close()
    }
}
