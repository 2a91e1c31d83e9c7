import EventLog
@testable import SmartContentDomain
import Testing

/// A file's import parses each line once, spools it in binary, and appends from the
/// spool: what comes back must append the same event as the line itself.
@Suite struct ImportSpoolTests {
    /// Every line the importer accepts, read in place or by the general parser, of
    /// every expected version and with and without metadata, ids and times.
    static let accepted: [String] = ImportLineTests.common + ImportLineTests.unusual.filter {
        if case .success = ImportLineTests.fast($0) { true } else { false }
    } + [
        #"{"stream":"content-cnt_7","type":"ContentUpdated","expectedVersion":"streamExists","data":{"contentId":"cnt_7","version":2,"title":"T","body":"B","contentType":"article","keywords":[],"changes":"c","editedBy":"usr_1"}}"#,
        #"{"stream":"user-usr_9","type":"UserRegistered","metadata":{"actor":"system","note":"from the old CRM"},"data":{"userId":"usr_9","email":"jane@example.com","name":"Jane","workspaceId":"wsp_1","passwordHash":"$2b$12$abcdefghijklmnopqrstuv"}}"#,
    ]

    static func imported(_ line: String) throws -> EventCatalog.ImportLine {
        try Array(line.utf8).withUnsafeBytes { try EventCatalog.importLine($0) }
    }

    @Test func spooledLinesAppendTheSameEventsAsTheLines() throws {
        let lines = try Self.accepted.map(Self.imported)
        #expect(lines.count == Self.accepted.count)
        #expect(Set(lines.map(\.event.type)).count >= 4, "several types, not only the two read in place")
        var writer = BinaryWriter()
        for line in lines { line.spool(to: &writer) }
        let back = try writer.bytes.withUnsafeBytes { bytes in
            var reader = BinaryReader(bytes)
            let back = try lines.map { _ in try EventCatalog.ImportLine(spooled: &reader) }
            #expect(reader.isAtEnd)
            return back
        }
        for (line, (want, got)) in zip(Self.accepted, zip(lines, back)) {
            #expect(got.stream == want.stream, "\(line)")
            #expect(got.expectedVersion == want.expectedVersion, "\(line)")
            #expect(got.decoded == want.decoded, "\(line)")
            #expect(EventCatalog.newEvent(from: got, encoding: got.decoded)
                    == EventCatalog.newEvent(from: want, encoding: want.decoded), "\(line)")
        }
    }

    @Test func aDamagedSpoolIsAnErrorNotACrash() throws {
        var writer = BinaryWriter()
        for line in Self.accepted { try Self.imported(line).spool(to: &writer) }
        let bytes = writer.bytes
        // Cut anywhere, or a type's place made one the catalog does not have.
        for cut in stride(from: 0, to: bytes.count, by: 7) {
            _ = Array(bytes[..<cut]).withUnsafeBytes { bytes in
                var reader = BinaryReader(bytes)
                return Result { for _ in Self.accepted { _ = try EventCatalog.ImportLine(spooled: &reader) } }
            }
        }
        var unknownType = BinaryWriter()
        unknownType.write("engagement-cnt_7")
        unknownType.write(UInt8(0))
        unknownType.writeFixed(1)
        unknownType.writeFixed(2)
        unknownType.writeVarint(200)
        #expect(throws: BinaryDecodingError.self) {
            try unknownType.bytes.withUnsafeBytes { bytes in
                var reader = BinaryReader(bytes)
                _ = try EventCatalog.ImportLine(spooled: &reader)
            }
        }
    }
}
