import EventLog
import Foundation
import HTTPTypes
import SmartContent
import SmartContentTesting
import Testing

@Suite(.timeLimit(.minutes(5))) struct ContentRouteTests {
    @Test func contentLifecycleVersionsAndErrors() async throws {
        try await withAPI { api, _, _ in
            let ann = try await api.user("ann@example.com")
            let created = try await api.call(.post, "/v1/content", token: ann.token,
                                             json: #"{"title":"Hello","body":"First body","contentType":"blog_post","tone":"casual","keywords":["AI"]}"#)
            #expect(created.status == .created)
            #expect(created.position != nil)
            let id = try #require(created.data["contentId"]?.stringValue)
            #expect(created.data["version"] == .number("1"))
            #expect(created.data["status"] == .string("draft"))
            #expect(created.data["authorId"] == .string(ann.userId))
            #expect(created.data["workspaceId"] == .string(ann.workspaceId))

            let got = try await api.call(.get, "/v1/content/\(id)", token: ann.token)
            #expect(got.data["title"] == .string("Hello"))
            let updated = try await api.call(.put, "/v1/content/\(id)", token: ann.token,
                                             json: #"{"title":"Hello again","changes":"retitled","expectedVersion":1}"#)
            #expect(updated.status == .ok)
            #expect(updated.data["version"] == .number("2"))
            let stale = try await api.call(.put, "/v1/content/\(id)", token: ann.token, json: #"{"title":"Late","expectedVersion":1}"#)
            #expect(stale.status == .conflict)
            #expect(stale.errorCode == "VERSION_CONFLICT")
            let refined = try await api.call(.post, "/v1/content/\(id)/refine", token: ann.token,
                                             json: #"{"instructions":"more formal, add keyword launch, sing it"}"#)
            #expect(refined.status == .ok, "\(refined.text)")
            #expect(refined.data["version"] == .number("3"))
            #expect(refined.data["tone"] == .string("formal"))
            #expect(refined.data["keywords"] == .array([.string("AI"), .string("launch")]))
            #expect(refined.data["notApplied"] == .array([.string("sing it")]))
            #expect(refined.data["contentId"] == .string(id))

            let versions = try await api.call(.get, "/v1/content/\(id)/versions", token: ann.token)
            #expect(versions.data["items"]?.count == 3)
            #expect(versions.data["nextCursor"] == .null)
            #expect(versions.data["items"]?[1]?["changes"] == .string("retitled"))
            #expect(versions.data["items"]?[1]?["editedBy"] == .string(ann.userId))

            #expect(try await api.call(.put, "/v1/content/\(id)", token: ann.token, json: #"{"contentType":"sonnet"}"#).errorField == "contentType")
            #expect(try await api.call(.put, "/v1/content/\(id)", token: ann.token, json: #"{"title":""}"#).status == .badRequest)
            #expect(try await api.call(.post, "/v1/content", token: ann.token, json: #"{"title":"x","contentType":"article"}"#).errorField == "body")

            let deleted = try await api.call(.delete, "/v1/content/\(id)", token: ann.token)
            #expect(deleted.status == .noContent)
            #expect(deleted.position != nil)
            let position = try #require(deleted.position)
            let afterDelete = try await api.call(.get, "/v1/content/\(id)?minPosition=\(position)", token: ann.token)
            #expect(afterDelete.data["status"] == .string("deleted"))
            #expect(try await api.call(.put, "/v1/content/\(id)", token: ann.token, json: #"{"title":"Zombie"}"#).status == .conflict)
            #expect(try await api.call(.get, "/v1/content/cnt_nothere", token: ann.token).status == .notFound)
            #expect(try await api.call(.get, "/v1/content/not-an-id", token: ann.token).status == .badRequest)
        }
    }

    @Test func listsPageWithCursorsAndFilter() async throws {
        try await withAPI { api, test, _ in
            let ann = try await api.user("ann@example.com")
            var ids: [String] = []
            for n in 0..<5 {
                test.advance(milliseconds: 1000)
                let created = try await api.call(.post, "/v1/content", token: ann.token,
                                                 json: #"{"title":"T\#(n)","body":"B","contentType":"article"}"#)
                ids.append(created.data["contentId"]?.stringValue ?? "")
            }
            let first = try await api.call(.get, "/v1/content?limit=2", token: ann.token)
            #expect(first.data["items"]?.count == 2)
            #expect(first.data["items"]?[0]?["contentId"] == .string(ids[4]), "newest first")
            let cursor = try #require(first.data["nextCursor"]?.stringValue)
            let second = try await api.call(.get, "/v1/content?limit=2&cursor=\(cursor)", token: ann.token)
            #expect(second.data["items"]?[0]?["contentId"] == .string(ids[2]))
            let last = try await api.call(.get, "/v1/content?limit=2&cursor=\(try #require(second.data["nextCursor"]?.stringValue))", token: ann.token)
            #expect(last.data["items"]?.count == 1)
            #expect(last.data["nextCursor"] == .null)

            #expect(try await api.call(.get, "/v1/content?status=draft", token: ann.token).data["items"]?.count == 5)
            #expect(try await api.call(.get, "/v1/content?status=published", token: ann.token).data["items"]?.count == 0)
            #expect(try await api.call(.get, "/v1/content?authorId=\(ann.userId)", token: ann.token).data["items"]?.count == 5)
            #expect(try await api.call(.get, "/v1/content?status=bogus", token: ann.token).errorField == "status")
            #expect(try await api.call(.get, "/v1/content?limit=0", token: ann.token).errorField == "limit")
            #expect(try await api.call(.get, "/v1/content?limit=101", token: ann.token).errorField == "limit")
            #expect(try await api.call(.get, "/v1/content?cursor=zz", token: ann.token).errorField == "cursor")
        }
    }

    @Test func generationHonoursTheRequestAndIsRecorded() async throws {
        try await withAPI { api, _, _ in
            let ann = try await api.user("ann@example.com")
            let request = #"{"contentType":"blog_post","topic":"edge computing","tone":"professional","length":400,"keywords":["latency","5G"],"targetAudience":"CTOs","seed":"launch"}"#
            let generated = try await api.call(.post, "/v1/content/generate", token: ann.token, json: request)
            #expect(generated.status == .created, "\(generated.text)")
            let words = try #require(generated.data["metadata"]?["wordCount"]?.integerValue)
            #expect((360...440).contains(words), "\(words) words for 400 asked")
            #expect(generated.data["metadata"]?["readingTime"]?.integerValue == Int64((Double(words) / 200).rounded(.up)))
            #expect(generated.data["metadata"]?["generatedAt"]?.stringValue != nil)
            let body = try #require(generated.data["body"]?.stringValue)
            #expect(body.contains("latency") && body.contains("5G"))
            let again = try await api.call(.post, "/v1/content/generate", token: ann.token, json: request)
            #expect(again.data["body"] == generated.data["body"], "the same seed gives the same text")
            #expect(generated.data["metadata"]?["seed"] == .string("launch"))

            // Without a seed, each request gives other text, and names the seed it drew.
            let unseeded = #"{"contentType":"social_media","topic":"edge computing","length":20,"keywords":["latency"]}"#
            let first = try await api.call(.post, "/v1/content/generate", token: ann.token, json: unseeded)
            let second = try await api.call(.post, "/v1/content/generate", token: ann.token, json: unseeded)
            #expect(first.status == .created, "\(first.text)")
            #expect(first.data["body"] != second.data["body"])
            let drawn = try #require(first.data["metadata"]?["seed"]?.integerValue)
            let replayed = try await api.call(.post, "/v1/content/generate", token: ann.token, json: #"{"contentType":"social_media","topic":"edge computing","length":20,"keywords":["latency"],"seed":\#(drawn)}"#)
            #expect(replayed.data["body"] == first.data["body"])
            #expect(try await api.call(.post, "/v1/content/generate", token: ann.token,
                                       json: #"{"contentType":"email","topic":"x","length":80,"seed":[1]}"#).errorField == "seed")
            let id = try #require(generated.data["contentId"]?.stringValue)
            #expect(try await api.call(.get, "/v1/content/\(id)", token: ann.token).data["title"] == generated.data["title"])

            let short = try await api.call(.post, "/v1/content/generate", token: ann.token,
                                           json: #"{"contentType":"blog_post","topic":"x","tone":"professional","length":99}"#)
            #expect(short.errorField == "length")
            #expect(short.json["error"]?["message"]?.stringValue?.contains("blog_post must be 100 to 5000 words") == true)
            #expect(try await api.call(.post, "/v1/content/generate", token: ann.token,
                                       json: #"{"contentType":"blog_post","topic":"x","tone":"smug","length":300}"#).errorField == "tone")
        }
    }

    @Test func twoWorkspacesNeverSeeEachOther() async throws {
        try await withAPI { api, _, _ in
            let ann = try await api.user("ann@example.com")
            let bob = try await api.user("bob@example.com")
            let created = try await api.call(.post, "/v1/content", token: ann.token, json: #"{"title":"Ann's","body":"B","contentType":"article"}"#)
            let id = try #require(created.data["contentId"]?.stringValue)
            let absent = try await api.call(.get, "/v1/content/cnt_doesnotexist", token: bob.token)
            for (method, path, body) in [
                (HTTPRequest.Method.get, "/v1/content/\(id)", nil), (.put, "/v1/content/\(id)", #"{"title":"Mine now"}"#),
                (.delete, "/v1/content/\(id)", nil), (.get, "/v1/content/\(id)/versions", nil),
                (.post, "/v1/content/\(id)/refine", #"{"instructions":"x"}"#), (.get, "/v1/analytics/content/\(id)", nil),
            ] as [(HTTPRequest.Method, String, String?)] {
                let answer = try await api.call(method, path, token: bob.token, json: body)
                #expect(answer.status == .notFound, "\(method) \(path)")
                #expect(answer.errorCode == absent.errorCode)
            }
            let engaged = try await api.call(.post, "/v1/analytics/events", token: bob.token, json: #"{"contentId":"\#(id)","kind":"view"}"#)
            #expect(engaged.status == .notFound)
            #expect(try await api.call(.get, "/v1/content", token: bob.token).data["items"]?.count == 0)
            #expect(try await api.call(.get, "/v1/content/\(id)", token: ann.token).data["title"] == .string("Ann's"))
        }
    }
}
