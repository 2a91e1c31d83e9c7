import EventLog
import Foundation
import Testing

/// The ways an operator's slip could destroy or poison a store, each refused.
@Suite(.timeLimit(.minutes(10))) struct OperatorSafetyTests {
    static let view = #"{"contentId":"cnt_1","kind":"view","occurredAt":"2026-02-15T10:30:00Z"}"#

    func storeWithOneEvent() throws -> DataDirectory {
        let dir = DataDirectory()
        #expect(try dir.smartcontent("append", "--stream", "engagement-cnt_1", "--type", "EngagementRecorded", stdin: Self.view).status == 0)
        return dir
    }

    @Test func restoreNeverDeletesTheBackupItReadsNorADirectoryThatIsNotAStore() throws {
        let dir = try storeWithOneEvent()
        // A backup inside the data directory is refused outright…
        #expect(try dir.smartcontent("backup", "--to", dir.store + "/backups/today").status == 6)
        // …and one made there by other means cannot be restored over its own store.
        #expect(try dir.smartcontent("backup", "--to", dir.path + "/outside").status == 0)
        try FileManager.default.copyItem(atPath: dir.path + "/outside", toPath: dir.store + "/inside")
        let overlapping = try dir.smartcontent("restore", "--from", dir.store + "/inside", "--force")
        #expect(overlapping.status == 6)
        #expect(overlapping.stderr.contains("overlap"))
        #expect(try dir.smartcontent("verify").status == 0)
        #expect(FileManager.default.fileExists(atPath: dir.store + "/inside/manifest.json"))

        // --force replaces a store, never a directory of something else.
        let notes = dir.path + "/notes"
        try FileManager.default.createDirectory(atPath: notes, withIntermediateDirectories: true)
        try "keep me".write(toFile: notes + "/todo.txt", atomically: true, encoding: .utf8)
        let wiped = try dir.run(product("smartcontent"), ["restore", "--from", dir.path + "/outside", "--data", notes, "--force"])
        #expect(wiped.status == 6)
        #expect(FileManager.default.fileExists(atPath: notes + "/todo.txt"))
        // Refused means untouched: no lock file left behind either.
        #expect(try FileManager.default.contentsOfDirectory(atPath: notes) == ["todo.txt"])

        // Over a real store, --force works and leaves nothing staged.
        let other = DataDirectory()
        #expect(try other.smartcontent("append", "--stream", "engagement-cnt_2", "--type", "EngagementRecorded",
                                       stdin: Self.view.replacingOccurrences(of: "cnt_1", with: "cnt_2")).status == 0)
        let replaced = try other.smartcontent("restore", "--from", dir.path + "/outside", "--force")
        #expect(replaced.status == 0, "\(replaced.stderr)")
        #expect(try other.smartcontent("replay").stdout.contains("cnt_1"))
        #expect(!FileManager.default.fileExists(atPath: other.store + "/.restoring"))
    }

    @Test func copiesInsideTheDataDirectoryAndEmptyTargetsAreRefused() throws {
        let dir = try storeWithOneEvent()
        #expect(try dir.smartcontent("backup", "--to", "").status == 2)
        #expect(try dir.smartcontent("rebuild", "--until", "1", "--into", dir.store + "/then").status == 6)
        #expect(!FileManager.default.fileExists(atPath: dir.store + "/then"))
    }

    @Test func aDamagedStoreIsNotBackedUpAsIfHealthy() throws {
        let dir = DataDirectory()
        let line = #"{"stream":"engagement-cnt_1","type":"EngagementRecorded","data":{"contentId":"cnt_1","kind":"view","occurredAt":"2026-02-01T00:00:00Z","channel":"CORRUPT-ME-PLEASE"}}"#
        #expect(try dir.smartcontent("import", dir.file("e.jsonl", line)).status == 0)
        let dataFile = dir.store + "/log/data.mdb"
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: dataFile)))
        let marker = Array("CORRUPT-ME-PLEASE".utf8)
        let offset = try #require((0...(bytes.count - marker.count)).first { bytes[$0..<$0 + marker.count].elementsEqual(marker) })
        bytes[offset + 3] ^= 0x20
        try Data(bytes).write(to: URL(fileURLWithPath: dataFile))

        let backup = try dir.smartcontent("backup", "--to", dir.path + "/backup")
        #expect(backup.status == 1)
        #expect(backup.stderr.contains("verify"))
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/backup/manifest.json"))
    }

    @Test func engagementValuesTheCountersCannotHoldAreRefusedAtTheDoor() throws {
        let dir = try storeWithOneEvent()
        for value in ["1e16", "-5", "1e308"] {
            let payload = #"{"contentId":"cnt_1","kind":"view","occurredAt":"2026-02-15T10:30:00Z","value":\#(value)}"#
            let result = try dir.smartcontent("append", "--stream", "engagement-cnt_1", "--type", "EngagementRecorded", stdin: payload)
            #expect(result.status == 4, "value \(value): \(result.stderr)")
            #expect(result.stderr.contains("value"))
        }
        #expect(try dir.smartcontent("query", "analytics", "--id", "cnt_1", "--from", "2026-02-15", "--to", "2026-02-15").status == 0)
        #expect(try dir.smartcontent("stats").json()["lastPosition"] == .number("1"))
    }

    @Test func aSubjectErasedAppendedByHandDestroysTheKeyToo() throws {
        let dir = DataDirectory()
        let registered = #"{"userId":"usr_hand","workspaceId":"wsp_hand","email":"hand@example.org","name":"Hand","passwordHash":"h"}"#
        #expect(try dir.smartcontent("append", "--stream", "user-usr_hand", "--type", "UserRegistered", stdin: registered).status == 0)
        #expect(try dir.smartcontent("replay").stdout.contains("hand@example.org"))
        #expect(try dir.smartcontent("append", "--stream", "subject-usr_hand", "--type", "SubjectErased",
                                     stdin: #"{"subjectId":"usr_hand","erasedBy":"usr_admin"}"#).status == 0)
        let replayed = try dir.smartcontent("replay").stdout
        #expect(!replayed.contains("hand@example.org") && replayed.contains("[erased]"))
        #expect(try dir.smartcontent("gdpr", "export", "--subject", "usr_hand").json()["status"] == .string("erased"))
    }

    @Test func copiesOfTheStoreAreAsPrivateAsTheStore() throws {
        let dir = try storeWithOneEvent()
        let registered = #"{"userId":"usr_p","workspaceId":"wsp_p","email":"p@example.org","name":"P","passwordHash":"h"}"#
        #expect(try dir.smartcontent("append", "--stream", "user-usr_p", "--type", "UserRegistered", stdin: registered).status == 0)
        func mode(_ path: String) throws -> Int {
            try #require(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
        }
        let backup = dir.path + "/backup"
        #expect(try dir.smartcontent("backup", "--to", backup).status == 0)
        for environment in ["keys", "log", "projections/users"] {
            #expect(try mode(backup + "/" + environment + "/data.mdb") == 0o600, "backup \(environment)")
            #expect(try mode(backup + "/" + environment) == 0o700, "backup \(environment)")
        }
        let restored = dir.path + "/restored"
        #expect(try dir.run(product("smartcontent"), ["restore", "--from", backup, "--data", restored]).status == 0)
        #expect(try mode(restored + "/keys/data.mdb") == 0o600)
        #expect(try dir.smartcontent("compact").status == 0)
        #expect(try mode(dir.store + "/keys/data.mdb") == 0o600)
        #expect(try mode(dir.store + "/log/data.mdb") == 0o600)
    }
}
