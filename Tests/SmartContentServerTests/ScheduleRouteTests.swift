import EventLog
import SmartContentServer
import SmartContentTesting
import Testing

/// Schedules over HTTP: local publish times and what the answer says of them, recurrence,
/// optimal times in the caller's time zone.
@Suite(.timeLimit(.minutes(10))) struct ScheduleRouteTests {
    func annWithChannel(_ api: APIClient) async throws -> (token: String, contentId: String, channelId: String) {
        let ann = try await api.user("ann@example.com")
        let created = try await api.call(.post, "/v1/content", token: ann.token, json: #"{"title":"Hello","body":"B","contentType":"article"}"#)
        let channel = try await api.call(.post, "/v1/distribution/channels", token: ann.token,
                                         json: #"{"name":"Blog","kind":"webhook","url":"https://example.com/hook"}"#)
        return (ann.token, created.data["contentId"]?.stringValue ?? "", channel.data["channelId"]?.stringValue ?? "")
    }

    @Test func aLocalPublishTimeIsReadInTheScheduleZoneAndTheAnswerGivesBoth() async throws {
        try await withAPI { api, _, _ in
            let (token, content, channel) = try await annWithChannel(api)
            let local = try await api.call(.post, "/v1/schedules", token: token, json: """
                {"contentId":"\(content)","publishTime":"2027-01-01T09:00:00","timezone":"Europe/Paris","channels":["\(channel)"]}
                """)
            #expect(local.status == .created, "\(local.text)")
            #expect(local.data["publishTime"] == .string("2027-01-01T08:00:00.000Z"))
            #expect(local.data["localPublishTime"] == .string("2027-01-01T09:00:00"))
            #expect(local.data["localTimeAdjustment"] == nil)

            let skipped = try await api.call(.post, "/v1/schedules", token: token, json: """
                {"contentId":"\(content)","publishTime":"2027-03-28T02:30:00","timezone":"Europe/Paris","channels":["\(channel)"],
                 "recurrence":{"frequency":"daily","until":"2027-04-30"}}
                """)
            #expect(skipped.status == .created, "\(skipped.text)")
            #expect(skipped.data["publishTime"] == .string("2027-03-28T01:30:00.000Z"))
            #expect(skipped.data["localPublishTime"] == .string("2027-03-28T03:30:00"))
            #expect(skipped.data["requestedLocalTime"] == .string("2027-03-28T02:30:00"))
            #expect(skipped.data["localTimeAdjustment"] == .string("skipped"))
            #expect(skipped.data["recurrence"]?["interval"] == .number("1"))

            let repeated = try await api.call(.post, "/v1/schedules", token: token, json: """
                {"contentId":"\(content)","publishTime":"2027-11-07T01:30:00","timezone":"America/New_York","channels":["\(channel)"]}
                """)
            #expect(repeated.data["publishTime"] == .string("2027-11-07T05:30:00.000Z"))
            #expect(repeated.data["localTimeAdjustment"] == .string("repeated"))
            #expect(repeated.data["localTimeNote"]?.stringValue?.contains("first occurrence") == true)

            // A new zone without a new time keeps the wall-clock time.
            let id = try #require(local.data["scheduleId"]?.stringValue)
            let moved = try await api.call(.put, "/v1/schedules/\(id)", token: token, json: #"{"timezone":"America/New_York"}"#)
            #expect(moved.data["publishTime"] == .string("2027-01-01T14:00:00.000Z"), "\(moved.text)")
            #expect(moved.data["localPublishTime"] == .string("2027-01-01T09:00:00"))

            let bad = try await api.call(.post, "/v1/schedules", token: token, json: """
                {"contentId":"\(content)","publishTime":"next tuesday","timezone":"UTC","channels":["\(channel)"]}
                """)
            #expect(bad.errorField == "publishTime")
            let badInterval = try await api.call(.post, "/v1/schedules", token: token, json: """
                {"contentId":"\(content)","publishTime":"2027-01-01T09:00","timezone":"UTC","channels":["\(channel)"],
                 "recurrence":{"frequency":"weekly","interval":0}}
                """)
            #expect(badInterval.errorField == "recurrence.interval")
        }
    }

    /// Sydney moves from UTC+10 to UTC+11 on 2025-10-05: the same UTC hour of two Mondays
    /// either side is two different local hours.
    @Test func optimalTimesAreInTheCallersTimeZoneDaylightSavingIncluded() async throws {
        try await withAPI { api, _, _ in
            let (token, content, _) = try await annWithChannel(api)
            let posted = try await api.call(.post, "/v1/analytics/events", token: token, json: """
                {"events":[{"contentId":"\(content)","kind":"view","occurredAt":"2025-09-29T00:30:00Z"},
                           {"contentId":"\(content)","kind":"view","occurredAt":"2025-10-06T00:30:00Z"},
                           {"contentId":"\(content)","kind":"view","occurredAt":"2025-10-06T00:40:00Z"}]}
                """)
            #expect(posted.status == .accepted, "\(posted.text)")
            let position = posted.data["position"]?.integerValue ?? 0
            let utc = try await api.call(.get, "/v1/schedules/optimal-times?minPosition=\(position)", token: token)
            #expect(utc.data.count == 1)
            #expect(utc.data[0]?["dayOfWeek"] == .number("0") && utc.data[0]?["hour"] == .number("0"))
            let sydney = try await api.call(.get, "/v1/schedules/optimal-times?timezone=Australia/Sydney&minPosition=\(position)",
                                            token: token)
            #expect(sydney.data.count == 2, "\(sydney.text)")
            #expect(sydney.data[0]?["hour"] == .number("11") && sydney.data[0]?["dayOfWeek"] == .number("0"))
            #expect(sydney.data[1]?["hour"] == .number("10"))
            #expect(try await api.call(.get, "/v1/schedules/optimal-times?timezone=Mars/Olympus", token: token).errorField == "timezone")
        }
    }
}
