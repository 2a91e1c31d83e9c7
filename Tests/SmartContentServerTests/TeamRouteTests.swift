import EventLog
import Foundation
import HTTPTypes
import SmartContent
import SmartContentTesting
import Testing

/// What a team runs into: member management, one rule for `PUT`, refusals that name the
/// problem (a wrong method, an unknown field, a channel still in use).
@Suite(.timeLimit(.minutes(5))) struct TeamRouteTests {
    private static let workspaceHeader = HTTPField.Name("X-Workspace-Id")!

    private func inWorkspace(_ id: String) -> HTTPFields { [Self.workspaceHeader: id] }

    @Test func aMethodTheRouteDoesNotTakeAnswers405WithAllow() async throws {
        try await withAPI { api, _, _ in
            let ann = try await api.user("ann@example.com")
            let created = try await api.call(.post, "/v1/content", token: ann.token,
                                             json: #"{"title":"T","body":"B","contentType":"article"}"#)
            let id = created.data["contentId"]?.stringValue ?? ""
            let patch = try await api.call(.patch, "/v1/content/\(id)", token: ann.token, json: #"{"title":"U"}"#)
            #expect(patch.status == .methodNotAllowed, "\(patch.text)")
            #expect(patch.headers[.allow] == "GET, HEAD, PUT, DELETE")
            #expect(patch.errorCode == "METHOD_NOT_ALLOWED")
            // Without a token too: which methods a path takes is no secret.
            let health = try await api.call(.post, "/healthz")
            #expect(health.status == .methodNotAllowed)
            #expect(health.headers[.allow] == "GET, HEAD")
            let collection = try await api.call(.delete, "/v1/content", token: ann.token)
            #expect(collection.headers[.allow] == "GET, HEAD, POST")
            // A spelt-out segment hides the parameter beside it, as the router routes.
            let generate = try await api.call(.get, "/v1/content/generate", token: ann.token)
            #expect(generate.headers[.allow] == "POST", "\(generate.text)")
            let optimal = try await api.call(.delete, "/v1/schedules/optimal-times", token: ann.token)
            #expect(optimal.headers[.allow] == "GET, HEAD")
            // A path nothing serves stays a 404.
            let nowhere = try await api.call(.get, "/v1/nowhere", token: ann.token)
            #expect(nowhere.status == .notFound)
            #expect(nowhere.headers[.allow] == nil)
        }
    }

    @Test func fieldsARouteDoesNotTakeAreRefusedByName() async throws {
        try await withAPI { api, _, _ in
            let ann = try await api.user("ann@example.com")
            let published = try await api.call(.post, "/v1/content", token: ann.token,
                                               json: #"{"title":"T","body":"B","contentType":"article","status":"published"}"#)
            #expect(published.status == .badRequest, "\(published.text)")
            #expect(published.errorField == "status")
            let list = try await api.call(.get, "/v1/content", token: ann.token)
            #expect(list.data["items"]?.count == 0, "nothing was created")

            let typos = try await api.call(.post, "/v1/content", token: ann.token,
                                           json: #"{"title":"T","body":"B","contentType":"article","tags":["x"],"keyword":["y"]}"#)
            #expect(typos.errorField == "tags")
            #expect(typos.text.contains("tags, keyword"), "every unknown field is named: \(typos.text)")

            let nested = try await api.call(.post, "/v1/audiences", token: ann.token,
                                            json: #"{"name":"A","criteria":{"keywords":["k"],"tags":["t"]}}"#)
            #expect(nested.status == .badRequest)
            #expect(nested.errorField == "criteria.tags")

            let created = try await api.call(.post, "/v1/content", token: ann.token,
                                             json: #"{"title":"T","body":"B","contentType":"article","tone":null}"#)
            #expect(created.status == .created, "a null optional field is as absent: \(created.text)")
            let id = created.data["contentId"]?.stringValue ?? ""
            let batch = try await api.call(.post, "/v1/analytics/events", token: ann.token, json: """
                {"events":[{"contentId":"\(id)","kind":"view"},{"contentId":"\(id)","kind":"view","chanel":"web"}]}
                """)
            #expect(batch.status == .badRequest)
            #expect(batch.errorField == "events[1].chanel")
            let single = try await api.call(.post, "/v1/analytics/events", token: ann.token,
                                            json: #"{"contentId":"\#(id)","kind":"view","channel":"web"}"#)
            #expect(single.status == .accepted, "\(single.text)")
        }
    }

    @Test func adminsChangeRolesAndRemoveMembers() async throws {
        try await withAPI { api, _, _ in
            let ann = try await api.user("ann@example.com")
            let bob = try await api.user("bob@example.com")
            let members = "/v1/workspaces/\(ann.workspaceId)/members"
            _ = try await api.call(.post, members, token: ann.token, json: #"{"email":"bob@example.com","role":"viewer"}"#)

            let bobsList = try await api.call(.get, "/v1/workspaces", token: bob.token)
            #expect(bobsList.status == .ok)
            var roles: Set<String> = []
            for index in 0..<(bobsList.data["items"]?.count ?? 0) {
                let item = bobsList.data["items"]?[index]
                roles.insert((item?["workspaceId"]?.stringValue ?? "") + "=" + (item?["role"]?.stringValue ?? ""))
            }
            #expect(roles == ["\(bob.workspaceId)=admin", "\(ann.workspaceId)=viewer"])
            let owners = (0..<2).compactMap { bobsList.data["items"]?[$0]?["ownerId"]?.stringValue }
            #expect(Set(owners) == [ann.userId, bob.userId])

            let denied = try await api.call(.post, "/v1/content", token: bob.token, json: #"{"title":"T","body":"B","contentType":"article"}"#,
                                            headers: inWorkspace(ann.workspaceId))
            #expect(denied.status == .forbidden)
            let promoted = try await api.call(.put, "\(members)/\(bob.userId)", token: ann.token, json: #"{"role":"editor"}"#)
            #expect(promoted.status == .ok, "\(promoted.text)")
            #expect(promoted.data["role"]?.stringValue == "editor")
            #expect(promoted.position != nil)
            let again = try await api.call(.put, "\(members)/\(bob.userId)", token: ann.token, json: #"{"role":"editor"}"#)
            #expect(again.status == .ok)
            #expect(again.position == nil, "the same role again writes nothing")
            let written = try await api.call(.post, "/v1/content", token: bob.token, json: #"{"title":"T","body":"B","contentType":"article"}"#,
                                             headers: inWorkspace(ann.workspaceId))
            #expect(written.status == .created)

            let bobPromotes = try await api.call(.put, "\(members)/\(ann.userId)", token: bob.token, json: #"{"role":"viewer"}"#,
                                                 headers: inWorkspace(ann.workspaceId))
            #expect(bobPromotes.status == .forbidden)
            let lastAdmin = try await api.call(.delete, "\(members)/\(ann.userId)", token: ann.token)
            #expect(lastAdmin.status == .conflict, "a workspace keeps one admin: \(lastAdmin.text)")
            let stranger = try await api.call(.delete, "\(members)/usr_nobody", token: ann.token)
            #expect(stranger.status == .notFound)

            let removed = try await api.call(.delete, "\(members)/\(bob.userId)", token: ann.token)
            #expect(removed.status == .noContent)
            // Bob's session reads from the removal on once it names the position (other
            // sessions are eventually consistent, within the fold's milliseconds).
            var asOfRemoval = inWorkspace(ann.workspaceId)
            asOfRemoval[HTTPField.Name("X-Min-Position")!] = "\(removed.position ?? 0)"
            let gone = try await api.call(.get, "/v1/content", token: bob.token, headers: asOfRemoval)
            #expect(gone.status == .notFound)
            let after = try await api.call(.get, "/v1/workspaces", token: bob.token)
            #expect(after.data["items"]?.count == 1)
            let listed = try await api.call(.get, members, token: ann.token)
            #expect(listed.data["items"]?.count == 1)
        }
    }

    /// Two admins removing (or demoting) each other at once: the rules decide on the
    /// workspace's stream, so one of them stays admin.
    @Test func twoAdminsRemovingEachOtherAtOnceLeaveOne() async throws {
        try await withAPI { api, _, _ in
            for round in 0..<6 {
                let ann = try await api.user("ann\(round)@example.com")
                let bob = try await api.user("bob\(round)@example.com")
                let members = "/v1/workspaces/\(ann.workspaceId)/members"
                let added = try await api.call(.post, members, token: ann.token, json: #"{"email":"bob\#(round)@example.com","role":"admin"}"#)
                let asOfAdding: HTTPFields = [Self.workspaceHeader: ann.workspaceId,
                                              HTTPField.Name("X-Min-Position")!: "\(added.position ?? 0)"]
                let demote = round % 2 == 1
                async let annActs = api.call(demote ? .put : .delete, "\(members)/\(bob.userId)", token: ann.token,
                                             json: demote ? #"{"role":"editor"}"# : nil, headers: asOfAdding)
                async let bobActs = api.call(demote ? .put : .delete, "\(members)/\(ann.userId)", token: bob.token,
                                             json: demote ? #"{"role":"editor"}"# : nil, headers: asOfAdding)
                let statuses = [try await annActs.status, try await bobActs.status]
                #expect(statuses.filter { $0 == .conflict || $0 == .forbidden || $0 == .notFound }.count == 1,
                        "round \(round): \(statuses)")
                let left = try await api.call(.get, members, token: statuses[0].code < 300 ? ann.token : bob.token,
                                              headers: inWorkspace(ann.workspaceId))
                let admins = (0..<(left.data["items"]?.count ?? 0)).filter { left.data["items"]?[$0]?["role"]?.stringValue == "admin" }
                #expect(admins.count == 1, "round \(round): \(left.text)")
            }
        }
    }

    @Test func theProfileIsSeenFromTheWorkspaceTheRequestActsIn() async throws {
        try await withAPI { api, _, _ in
            let ann = try await api.user("ann@example.com")
            let bob = try await api.user("bob@example.com")
            _ = try await api.call(.post, "/v1/workspaces/\(ann.workspaceId)/members", token: ann.token,
                                   json: #"{"email":"bob@example.com","role":"viewer"}"#)
            let there = try await api.call(.get, "/v1/users/me", token: bob.token, headers: inWorkspace(ann.workspaceId))
            #expect(there.data["workspaceId"]?.stringValue == ann.workspaceId, "\(there.text)")
            #expect(there.data["role"]?.stringValue == "viewer")
            let home = try await api.call(.get, "/v1/users/me", token: bob.token)
            #expect(home.data["workspaceId"]?.stringValue == bob.workspaceId)
            #expect(home.data["role"]?.stringValue == "admin")
        }
    }

    @Test func anAudiencePUTChangesOnlyWhatItSendsAndNamesAreUnique() async throws {
        try await withAPI { api, _, _ in
            let ann = try await api.user("ann@example.com")
            let created = try await api.call(.post, "/v1/audiences", token: ann.token,
                                             json: #"{"name":"Makers","criteria":{"keywords":["swift"],"contentTypes":["article"]}}"#)
            #expect(created.status == .created)
            let id = created.data["audienceId"]?.stringValue ?? ""
            let renamed = try await api.call(.put, "/v1/audiences/\(id)", token: ann.token, json: #"{"name":"Builders"}"#)
            #expect(renamed.status == .ok, "\(renamed.text)")
            #expect(renamed.data["name"]?.stringValue == "Builders")
            #expect(renamed.data["criteria"]?["keywords"]?[0]?.stringValue == "swift", "criteria kept: \(renamed.text)")
            let recriteria = try await api.call(.put, "/v1/audiences/\(id)", token: ann.token, json: #"{"criteria":{"keywords":["lmdb"]}}"#)
            #expect(recriteria.data["name"]?.stringValue == "Builders")
            #expect(recriteria.data["criteria"]?["keywords"]?[0]?.stringValue == "lmdb")
            #expect(recriteria.data["criteria"]?["contentTypes"]?.count == 0, "criteria sent replace the criteria whole")
            let nothing = try await api.call(.put, "/v1/audiences/\(id)", token: ann.token, json: "{}")
            #expect(nothing.status == .badRequest)

            let duplicate = try await api.call(.post, "/v1/audiences", token: ann.token, json: #"{"name":"builders"}"#)
            #expect(duplicate.status == .conflict, "\(duplicate.text)")
            #expect(duplicate.errorField == "name")
            let other = try await api.call(.post, "/v1/audiences", token: ann.token, json: #"{"name":"Readers"}"#)
            let otherId = other.data["audienceId"]?.stringValue ?? ""
            let clash = try await api.call(.put, "/v1/audiences/\(otherId)", token: ann.token, json: #"{"name":"BUILDERS"}"#)
            #expect(clash.status == .conflict)
            let sameName = try await api.call(.put, "/v1/audiences/\(id)", token: ann.token, json: #"{"name":"builders"}"#)
            #expect(sameName.status == .ok, "renaming to its own name in other case: \(sameName.text)")
            _ = try await api.call(.delete, "/v1/audiences/\(otherId)", token: ann.token)
            let reused = try await api.call(.post, "/v1/audiences", token: ann.token, json: #"{"name":"Readers"}"#)
            #expect(reused.status == .created, "a deleted audience's name is free")

            // Another workspace may use the same name.
            let bob = try await api.call(.post, "/v1/audiences", token: try await api.user("bob@example.com").token,
                                         json: #"{"name":"builders"}"#)
            #expect(bob.status == .created)
        }
    }

    @Test func concurrentCreationsOfOneAudienceNameLeaveOne() async throws {
        try await withAPI { api, _, _ in
            let ann = try await api.user("ann@example.com")
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<8 {
                    group.addTask { try await api.call(.post, "/v1/audiences", token: ann.token, json: #"{"name":"Twins"}"#).status }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .created }.count == 1)
            #expect(statuses.filter { $0 == .conflict }.count == 7)
        }
    }

    @Test func aChannelAPendingScheduleUsesIsNotDisconnected() async throws {
        try await withAPI { api, _, _ in
            let ann = try await api.user("ann@example.com")
            let channel = try await api.call(.post, "/v1/distribution/channels", token: ann.token,
                                             json: #"{"name":"Hook","url":"http://127.0.0.1:9/hook"}"#)
            let channelId = channel.data["channelId"]?.stringValue ?? ""
            let content = try await api.call(.post, "/v1/content", token: ann.token, json: #"{"title":"T","body":"B","contentType":"article"}"#)
            let contentId = content.data["contentId"]?.stringValue ?? ""
            let scheduled = try await api.call(.post, "/v1/schedules", token: ann.token, json: """
                {"contentId":"\(contentId)","publishTime":"2099-01-01T09:00:00Z","timezone":"UTC","channels":["\(channelId)"]}
                """)
            #expect(scheduled.status == .created, "\(scheduled.text)")
            let scheduleId = scheduled.data["scheduleId"]?.stringValue ?? ""

            let refused = try await api.call(.delete, "/v1/distribution/channels/\(channelId)", token: ann.token)
            #expect(refused.status == .conflict, "\(refused.text)")
            #expect(refused.text.contains(scheduleId))
            #expect(refused.json["error"]?["details"]?["schedules"]?.stringValue == scheduleId)

            _ = try await api.call(.delete, "/v1/schedules/\(scheduleId)", token: ann.token)
            let disconnected = try await api.call(.delete, "/v1/distribution/channels/\(channelId)", token: ann.token)
            #expect(disconnected.status == .noContent, "\(disconnected.text)")
        }
    }
}
