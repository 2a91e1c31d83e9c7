import EventLog
import Foundation
import Testing

/// What an erasure promises, checked as an auditor would: every byte of every file of the
/// data directory, and of a store restored from a backup taken before the erasure.
@Suite(.serialized, .timeLimit(.minutes(10))) struct ErasureScanTests {
    /// `text` as it could lie in a file: as given, upper case, and JSON-escaped (non-ASCII
    /// as `\u` escapes, in both cases of hex digit).
    static func forms(of text: String) -> Set<String> {
        var escaped = ""
        for scalar in text.unicodeScalars {
            escaped += scalar.isASCII ? String(scalar) : String(format: "\\u%04x", scalar.value)
        }
        return [text, text.uppercased(), text.lowercased(), escaped, escaped.uppercased(), escaped.lowercased()]
    }

    /// The files under `directory` holding any form of any of `needles`, as "file: form".
    static func traces(of needles: [String], in directory: String) throws -> [String] {
        let forms = needles.flatMap(Self.forms(of:))
        var found: [String] = []
        for file in try filesWithContents(under: directory) {
            for form in forms where file.bytes.range(of: Data(form.utf8)) != nil { found.append("\(file.path): \(form)") }
        }
        return found
    }

    @Test func anErasedUserAndReaderLeaveNoByteInTheStoreNorInARestoredBackup() async throws {
        let dir = DataDirectory()
        let unique = UUID().uuidString.prefix(8).lowercased()
        let email = "zoe.\(unique)@corp.example", name = "Zoë Q\(unique)", reader = "jane.doe.\(unique)@corp.example"
        let secret = "whsec_" + Data("shared-\(unique)-key-of-32-bytes!!".utf8).base64EncodedString()
        let password = "Correct-Horse-9"

        let server = try await RunningServer(data: dir.store, in: dir)
        let registered = try await server.call("POST", "/v1/auth/register",
                                               body: #"{"email":"\#(email)","password":"\#(password)","name":"\#(name)"}"#)
        #expect(registered.status == 201)
        let userId = try #require(registered.data["userId"]?.stringValue)
        let login = try await server.call("POST", "/v1/auth/login", body: #"{"email":"\#(email)","password":"\#(password)"}"#)
        let token = try #require(login.data["accessToken"]?.stringValue)
        func call(_ method: String, _ path: String, _ body: String? = nil) async throws -> RunningServer.Reply {
            let reply = try await server.call(method, path, token: token, body: body)
            #expect(reply.status < 300, "\(method) \(path): \(reply.body)")
            return reply
        }
        _ = try await call("PUT", "/v1/users/me", #"{"name":"\#(name)","bio":"I am \#(name), write to \#(email)"}"#)
        // Another admin invites the subject by email into their workspace.
        let bob = try await server.register("bob.\(unique)@example.com")
        let bobs = try await server.call("GET", "/v1/users/me", token: bob.token)
        let bobsWorkspace = try #require(bobs.data["workspaceId"]?.stringValue)
        let invited = try await server.call("POST", "/v1/workspaces/\(bobsWorkspace)/members", token: bob.token,
                                            body: #"{"email":"\#(email)","role":"editor"}"#)
        #expect(invited.status == 201, "\(invited.body)")
        let content = try await call("POST", "/v1/content", #"{"title":"Notes","body":"Plain text.","contentType":"article"}"#)
        let contentId = try #require(content.data["contentId"]?.stringValue)
        // A reader id that is an email, in an audience and in engagement.
        let audience = try await call("POST", "/v1/audiences", #"{"name":"Fans","criteria":{"members":["\#(reader)"]}}"#)
        #expect(audience.data["criteria"]?["members"] == .array([.string(reader)]), "the API shows members as given")
        _ = try await call("POST", "/v1/analytics/events", #"{"contentId":"\#(contentId)","kind":"view","userId":"\#(reader)"}"#)
        _ = try await call("POST", "/v1/analytics/events", #"{"contentId":"\#(contentId)","kind":"share","userId":"\#(userId)"}"#)
        let channel = try await call("POST", "/v1/distribution/channels",
                                     #"{"name":"Hook","kind":"webhook","url":"https://example.com/hook","secret":"\#(secret)"}"#)
        let channelId = try #require(channel.data["channelId"]?.stringValue)
        #expect(server.stop() == 0)

        // Before any erasure: the secret is nowhere in clear; the reader id only in the key
        // store (which pseudonym stands for it); the name and email not in the log.
        let inClear = try Self.traces(of: [secret], in: dir.store) + Self.traces(of: [email, name], in: dir.store + "/log")
        #expect(inClear == [])
        #expect(try Self.traces(of: [reader], in: dir.store) == ["keys/data.mdb: \(reader)"])
        let replayed = try dir.smartcontent("replay")
        #expect(replayed.status == 0)
        #expect(replayed.stdout.contains(reader) && replayed.stdout.contains(email), "replay shows what people see")
        #expect(!replayed.stdout.contains("$2"), "no bcrypt hash is printed")
        #expect(!replayed.stdout.contains(secret))
        let channels = try dir.smartcontent("query", "channels", "--workspace", try #require(registered.data["workspaceId"]?.stringValue))
        #expect(channels.status == 0)
        #expect(channels.stdout.contains(channelId) && channels.stdout.contains(#""hasSecret":true"#), "\(channels.stdout)")
        #expect(!channels.stdout.contains(secret))
        let export = try dir.smartcontent("gdpr", "export", "--subject", userId)
        #expect(export.stdout.contains(email) && !export.stdout.contains("$2"), "an export holds no password hash")
        let readerExport = try dir.smartcontent("gdpr", "export", "--subject", reader)
        #expect(try readerExport.json()["interactions"]?.arrayCount == 1, "\(readerExport.stdout) \(readerExport.stderr)")

        #expect(try dir.smartcontent("backup", "--to", dir.path + "/before").status == 0)
        let erasedUser = try dir.smartcontent("gdpr", "erase", "--subject", userId)
        #expect(erasedUser.status == 0, "\(erasedUser.stderr)")
        let erasedReader = try dir.smartcontent("gdpr", "erase", "--subject", reader)
        #expect(erasedReader.status == 0, "\(erasedReader.stderr)")
        #expect(try erasedReader.json()["compacted"] == .bool(true))

        let left = try Self.traces(of: [email, name, reader], in: dir.store)
        #expect(left == [])
        let after = try dir.smartcontent("replay")
        for needle in [email, name, reader] { #expect(!after.stdout.contains(needle)) }
        #expect(try dir.smartcontent("verify").status == 0)

        // The backup predates the erasures and holds them; the restored store must not.
        #expect(try Self.traces(of: [email], in: dir.path + "/before") != [], "the backup itself is older than the erasure")
        let restoredPath = dir.path + "/restored"
        let restored = try dir.run(product("smartcontent"), ["restore", "--from", dir.path + "/before", "--data", restoredPath,
                                                             "--erasures-from", dir.store])
        #expect(restored.status == 0, "\(restored.stderr)")
        #expect(try restored.json()["erasuresReapplied"] == .number("2"))
        let leftInRestored = try Self.traces(of: [email, name, reader], in: restoredPath)
        #expect(leftInRestored == [])
        #expect(try dir.run(product("smartcontent"), ["verify", "--data", restoredPath]).status == 0)
        let workspaceId = try #require(registered.data["workspaceId"]?.stringValue)
        let content2 = try dir.run(product("smartcontent"), ["query", "content", "--id", contentId, "--workspace", workspaceId,
                                                             "--data", restoredPath])
        #expect(content2.stdout.contains("Notes"), "the rest of the restored store is intact: \(content2.stderr)")
    }
}
