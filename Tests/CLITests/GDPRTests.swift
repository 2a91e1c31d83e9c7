import EventLog
import Foundation
import Testing

@Suite(.timeLimit(.minutes(10))) struct GDPRTests {
    /// A subject whose email and name appear nowhere else, with a profile, content,
    /// engagement and a failed login from an IP address.
    static func lines(email: String, name: String, address: String) -> [String] {
        [
            #"{"stream":"user-usr_gdpr","type":"UserRegistered","data":{"userId":"usr_gdpr","workspaceId":"wsp_g","email":"\#(email)","name":"\#(name)","passwordHash":"h"},"metadata":{"actor":"usr_gdpr"}}"#,
            #"{"stream":"workspace-wsp_g","type":"WorkspaceCreated","data":{"workspaceId":"wsp_g","name":"G","ownerId":"usr_gdpr"},"metadata":{"actor":"usr_gdpr"}}"#,
            #"{"stream":"workspace-wsp_g","type":"MemberAdded","data":{"workspaceId":"wsp_g","userId":"usr_gdpr","role":"admin","addedBy":"usr_gdpr"},"metadata":{"actor":"usr_gdpr"}}"#,
            #"{"stream":"user-usr_gdpr","type":"UserProfileUpdated","data":{"userId":"usr_gdpr","name":"\#(name)","bio":"I am \#(name)"},"metadata":{"actor":"usr_gdpr"}}"#,
            #"{"stream":"user-usr_gdpr","type":"LoginFailed","data":{"userId":"usr_gdpr","failedAttempts":1,"ipAddress":"\#(address)"}}"#,
            #"{"stream":"content-cnt_g","type":"ContentCreated","data":{"contentId":"cnt_g","workspaceId":"wsp_g","authorId":"usr_gdpr","title":"Hello","body":"Body","contentType":"blog_post","keywords":["AI"]},"metadata":{"actor":"usr_gdpr"}}"#,
            #"{"stream":"engagement-cnt_g","type":"EngagementRecorded","data":{"contentId":"cnt_g","kind":"view","userId":"usr_gdpr","occurredAt":"2026-02-15T10:00:00Z"}}"#,
            #"{"stream":"engagement-cnt_g","type":"EngagementRecorded","data":{"contentId":"cnt_g","kind":"share","userId":"usr_gdpr","occurredAt":"2026-02-15T11:00:00Z"}}"#,
            #"{"stream":"engagement-cnt_g","type":"EngagementRecorded","data":{"contentId":"cnt_g","kind":"view","userId":"reader-other","occurredAt":"2026-02-16T10:00:00Z"}}"#,
        ]
    }

    /// Every file under `directory` that contains `needle`, byte for byte.
    static func files(in directory: String, containing needle: String) throws -> [String] {
        try filesWithContents(under: directory).filter { $0.bytes.range(of: Data(needle.utf8)) != nil }.map(\.path)
    }

    @Test func erasureLeavesNoByteOfThePersonalDataInAnyFileAndKeepsTheTotals() throws {
        let dir = DataDirectory()
        let unique = UUID().uuidString.prefix(8).lowercased()
        let email = "erin.\(unique)@example.org", name = "Erin Q\(unique)", address = "203.0.113.77"
        #expect(try dir.smartcontent("import", dir.file("g.jsonl", Self.lines(email: email, name: name, address: address)
            .joined(separator: "\n"))).status == 0)
        // Personal data never reaches the log in clear, only the read model that serves it.
        #expect(try Self.files(in: dir.store + "/log", containing: email).isEmpty)
        #expect(try Self.files(in: dir.store + "/log", containing: name).isEmpty)
        let totals = ["query", "analytics", "--id", "cnt_g", "--from", "2026-02-15", "--to", "2026-02-16"]
        let before = try dir.run(product("smartcontent"), totals + ["--data", dir.store])
        #expect(before.status == 0)

        let export = try dir.smartcontent("gdpr", "export", "--subject", "usr_gdpr")
        #expect(export.status == 0, "\(export.stderr)")
        let document = try export.json()
        #expect(document["status"] == .string("active"))
        #expect(document["profile"]?["email"] == .string(email))
        #expect(document["profile"]?["name"] == .string(name))
        #expect(document["profile"]?["bio"] == .string("I am \(name)"))
        #expect(document["authoredContent"] == .array([.string("cnt_g")]))
        #expect(document["interactions"]?.arrayCount == 1)
        guard case .array(let interactions)? = document["interactions"], let interaction = interactions.first else {
            Issue.record("no interactions in \(export.stdout)")
            return
        }
        #expect(interaction["views"] == .number("1"))
        #expect(interaction["shares"] == .number("1"))
        #expect(export.stdout.contains(address))
        // What happened to them and what they did: all 8 events but the other reader's view.
        #expect(document["events"]?.arrayCount == 8)
        #expect(export.stdout.contains(#""type":"ContentCreated""#))

        let erase = try dir.smartcontent("gdpr", "erase", "--subject", "usr_gdpr", "--actor", "usr_dpo")
        #expect(erase.status == 0, "\(erase.stderr)")
        #expect(try erase.json()["compacted"] == .bool(true))
        #expect(try erase.json()["alreadyErased"] == .bool(false))

        for needle in [email, name, address] {
            #expect(try Self.files(in: dir.store, containing: needle) == [], "\(needle) is still in the data directory")
        }
        let after = try dir.run(product("smartcontent"), totals + ["--data", dir.store])
        #expect(after.stdout == before.stdout)

        let erasedExport = try dir.smartcontent("gdpr", "export", "--subject", "usr_gdpr")
        #expect(erasedExport.status == 0)
        #expect(try erasedExport.json()["status"] == .string("erased"))
        #expect(!erasedExport.stdout.contains(email))

        let again = try dir.smartcontent("gdpr", "erase", "--subject", "usr_gdpr")
        #expect(again.status == 0)
        #expect(try again.json()["alreadyErased"] == .bool(true))
        #expect(try dir.smartcontent("replay", "--type", "SubjectErased").lines.count == 1)

        // The rest of the store is intact, and a rebuild answers as before.
        #expect(try dir.smartcontent("verify").status == 0)
        #expect(try dir.smartcontent("rebuild").status == 0)
        #expect(try dir.run(product("smartcontent"), totals + ["--data", dir.store]).stdout == before.stdout)
        let replayed = try dir.smartcontent("replay", "--stream", "user-usr_gdpr")
        #expect(replayed.lines.count == 3)
        #expect(!replayed.stdout.contains(email) && replayed.stdout.contains("[erased]"))
        // Another reader of the same content keeps their interactions.
        #expect(try dir.smartcontent("gdpr", "export", "--subject", "reader-other").json()["interactions"]?.arrayCount == 1)
    }

    @Test func backupsCarryTheKeysSoARestoredStoreStillReadsPersonalData() throws {
        let dir = DataDirectory()
        #expect(try dir.smartcontent("import", dir.file("g.jsonl", Self.lines(email: "kept@example.org", name: "Kept", address: "1.2.3.4")
            .joined(separator: "\n"))).status == 0)
        let backup = try dir.smartcontent("backup", "--to", dir.path + "/backup")
        #expect(backup.status == 0, "\(backup.stderr)")
        #expect(backup.stdout.contains("keys/data.mdb"))
        let restored = dir.path + "/restored"
        #expect(try dir.run(product("smartcontent"), ["restore", "--from", dir.path + "/backup", "--data", restored]).status == 0)
        let export = try dir.run(product("smartcontent"), ["gdpr", "export", "--subject", "usr_gdpr", "--data", restored])
        #expect(try export.json()["profile"]?["email"] == .string("kept@example.org"))
        #expect(try dir.run(product("smartcontent"), ["verify", "--data", restored]).status == 0)
    }

    @Test func aPointInTimeCopyReadsPersonalDataToo() throws {
        let dir = DataDirectory()
        #expect(try dir.smartcontent("import", dir.file("g.jsonl", Self.lines(email: "then@example.org", name: "Then", address: "1.2.3.4")
            .joined(separator: "\n"))).status == 0)
        #expect(try dir.smartcontent("rebuild", "--until", "3", "--into", dir.path + "/then").status == 0)
        let members = try dir.run(product("smartcontent"), ["query", "users", "--workspace", "wsp_g", "--data", dir.path + "/then"])
        #expect(members.stdout.contains("then@example.org"), "\(members.stdout) \(members.stderr)")
    }

    @Test func aReaderIdIsASubjectToo() throws {
        let dir = DataDirectory()
        #expect(try dir.smartcontent("import", dir.file("g.jsonl", Self.lines(email: "a@b.c", name: "A", address: "1.2.3.4")
            .joined(separator: "\n"))).status == 0)
        #expect(try dir.smartcontent("gdpr", "erase", "--subject", "reader-other", "--no-compact").json()["compacted"] == .bool(false))
        // The erasure forgot which pseudonym stood for the reader id, so nothing answers to it.
        let export = try dir.smartcontent("gdpr", "export", "--subject", "reader-other")
        #expect(export.status == 7)
        #expect(export.stderr.contains("nothing is held about reader-other"), "\(export.stderr)")
        #expect(try dir.smartcontent("gdpr", "erase", "--subject", "reader-other").status == 7)
        // Popularity and daily totals still count the erased reader's view.
        let analytics = try dir.smartcontent("query", "analytics", "--id", "cnt_g", "--from", "2026-02-15", "--to", "2026-02-16").json()
        #expect(analytics["totals"]?["views"] == .number("2"))
    }

    @Test func unknownSubjectsAndBadUsageFailClearlyAndChangeNothing() throws {
        let dir = DataDirectory()
        #expect(try dir.smartcontent("import", dir.file("g.jsonl", Self.lines(email: "a@b.c", name: "A", address: "1.2.3.4")
            .joined(separator: "\n"))).status == 0)
        let lastBefore = try dir.smartcontent("stats").json()["lastPosition"]

        let unknown = try dir.smartcontent("gdpr", "erase", "--subject", "usr_nobody")
        #expect(unknown.status == 7)
        #expect(unknown.stderr.contains("usr_nobody"))
        #expect(try dir.smartcontent("gdpr", "export", "--subject", "usr_nobody").status == 7)
        let usage = try dir.smartcontent("gdpr", "erase")
        #expect(usage.status == 2)
        #expect(usage.stderr.contains("see 'smartcontent help gdpr erase'"), "\(usage.stderr)")
        #expect(try dir.smartcontent("gdpr", "erase", "--subject", "usr_gdpr", "--bogus").status == 2)
        #expect(try dir.smartcontent("gdpr", "erase", "--subject", String(repeating: "x", count: 200)).status == 2)
        let missing = try dir.run(product("smartcontent"), ["gdpr", "export", "--subject", "usr_gdpr", "--data", dir.path + "/nope"])
        #expect(missing.status == 5)
        #expect(try dir.smartcontent("stats").json()["lastPosition"] == lastBefore)
        #expect(try dir.smartcontent("gdpr", "export", "--subject", "usr_gdpr").json()["status"] == .string("active"))
    }
}

extension GDPRTests {
    /// Without `DATA/keys` every sealed field would read as erased: nothing may create an
    /// empty key store in its place, and `verify` says what is missing.
    @Test func aStoreThatLostItsKeysIsRefusedNotReadAsErased() throws {
        let dir = DataDirectory()
        #expect(try dir.smartcontent("import", dir.file("g.jsonl", Self.lines(email: "a@b.c", name: "A", address: "1.2.3.4")
            .joined(separator: "\n"))).status == 0)
        try FileManager.default.removeItem(atPath: dir.store + "/keys")

        let verify = try dir.smartcontent("verify")
        #expect(verify.status == 1)
        #expect(verify.stderr.contains("keys is missing"), "\(verify.stderr)")
        for command in [["gdpr", "export", "--subject", "usr_gdpr"], ["query", "users", "--id", "usr_gdpr"], ["rebuild"], ["replay"],
                        ["import", dir.file("more.jsonl", Self.lines(email: "x@y.z", name: "X", address: "5.6.7.8")[0])]] {
            let refused = try dir.run(product("smartcontent"), command + ["--data", dir.store])
            #expect(refused.status == 5, "\(command): \(refused.stderr)")
            #expect(refused.stderr.contains("key store"), "\(command): \(refused.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: dir.store + "/keys"))
        #expect(try dir.smartcontent("verify").status == 1)
    }

    /// A key store restored from before an erasure gives the erased subject its key back:
    /// `verify` names them, and erasing again takes the key away for good.
    @Test func aKeyStoreFromBeforeAnErasureIsCaughtAndMended() throws {
        let dir = DataDirectory()
        #expect(try dir.smartcontent("import", dir.file("g.jsonl", Self.lines(email: "old@b.c", name: "Old", address: "1.2.3.4")
            .joined(separator: "\n"))).status == 0)
        #expect(try dir.smartcontent("backup", "--to", dir.path + "/before").status == 0)
        #expect(try dir.smartcontent("gdpr", "erase", "--subject", "usr_gdpr").status == 0)
        try FileManager.default.removeItem(atPath: dir.store + "/keys")
        try FileManager.default.copyItem(atPath: dir.path + "/before/keys", toPath: dir.store + "/keys")

        let verify = try dir.smartcontent("verify")
        #expect(verify.status == 1)
        #expect(verify.stderr.contains("usr_gdpr was erased at position"), "\(verify.stderr)")
        let again = try dir.smartcontent("gdpr", "erase", "--subject", "usr_gdpr")
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try dir.smartcontent("verify").status == 0)
        #expect(try dir.smartcontent("gdpr", "export", "--subject", "usr_gdpr").json()["status"] == .string("erased"))
        #expect(!(try dir.smartcontent("replay").stdout.contains("old@b.c")))
    }
}
