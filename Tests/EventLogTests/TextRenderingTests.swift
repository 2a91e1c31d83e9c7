import EventLog
import Foundation
import Testing

/// Replay prints every event's id and strings through these writers: the fast paths must
/// give exactly what the plain definitions give.
@Suite struct TextRenderingTests {
    /// JSON's escapes as the wire format writes them, a byte at a time.
    static func quoted(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "\"")]
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\""): out += Array(#"\""#.utf8)
            case UInt8(ascii: "\\"): out += Array(#"\\"#.utf8)
            case 0x0A: out += Array(#"\n"#.utf8)
            case 0x0D: out += Array(#"\r"#.utf8)
            case 0x09: out += Array(#"\t"#.utf8)
            case 0..<0x20, 0x7F: out += Array(String(format: "\\u%04x", byte).utf8)
            default: out.append(byte)
            }
        }
        return out + [UInt8(ascii: "\"")]
    }

    @Test func quotedStringsEscapeWhereverTheSpecialBytesFall() {
        // Each special byte at every offset of strings longer than a word, between plain
        // ASCII and multi-byte UTF-8.
        let specials: [UInt8] = [0x00, 0x01, 0x09, 0x0A, 0x0D, 0x1F, 0x22, 0x5C, 0x7F, 0x20, 0x21, 0x5B, 0x7E]
        let fillers: [[UInt8]] = [Array("abcdefghijklmnopqrstuvwxyz".utf8), Array("ü✓🚀éü✓🚀éü✓🚀é".utf8),
                                  Array("abcdefgh✓ijklmnop🚀qrstuvwx".utf8)]
        for filler in fillers {
            for length in [0, 1, 7, 8, 9, 15, 16, 17, 26] {
                let plain = Array(filler.prefix(length))
                var outputs = [Array(plain)]
                for special in specials {
                    for offset in 0...plain.count {
                        var text = plain
                        text.insert(special, at: offset)
                        outputs.append(text)
                    }
                }
                for text in outputs {
                    var rendered: [UInt8] = []
                    text.withUnsafeBytes { bytes in rendered.append(reserving: 6 * bytes.count + 2) { $0.writeQuoted(bytes) } }
                    #expect(rendered == Self.quoted(text), "\(text)")
                }
            }
        }
    }

    @Test func anIdPrintsAsFoundationsUUIDDoesInLowerCase() {
        var generator = SystemRandomNumberGenerator()
        let edges: [(UInt64, UInt64)] = [(0, 0), (.max, .max), (0x0123_4567_89AB_CDEF, 0xFEDC_BA98_7654_3210)]
        for (high, low) in edges + (0..<1000).map({ _ in (generator.next(), generator.next()) }) {
            let id = EventID(high: high, low: low)
            let uuid = withUnsafeBytes(of: (high.bigEndian, low.bigEndian)) { bytes in
                UUID(uuid: bytes.load(as: uuid_t.self))
            }
            #expect(id.description == uuid.uuidString.lowercased())
        }
    }
}
