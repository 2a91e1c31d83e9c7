/// One page of a list, and the cursor that fetches the next (`nil` on the last page).
public struct Page<Item: Sendable & Encodable>: Sendable, Encodable {
    public var items: [Item]
    public var nextCursor: String?

    public init(items: [Item], nextCursor: String?) {
        self.items = items
        self.nextCursor = nextCursor
    }

    enum CodingKeys: String, CodingKey { case items, nextCursor }

    /// `nextCursor` is always present, `null` on the last page (DESIGN section 7).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(items, forKey: .items)
        if let nextCursor { try container.encode(nextCursor, forKey: .nextCursor) } else { try container.encodeNil(forKey: .nextCursor) }
    }

    public static var defaultLimit: Int { 20 }
    public static var limits: ClosedRange<Int> { 1...100 }
}

/// Opaque cursors: the hex of the last key served.
public enum PageCursor {
    public static func encode(_ key: [UInt8]) -> String {
        let hex = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(key.count * 2)
        for byte in key {
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The longest key a cursor may carry: LMDB's (511 bytes in Debian's build).
    static let maxKeyBytes = 511

    /// `nil` for a malformed cursor, an empty one among them: a cursor is a store key.
    public static func decode(_ text: String) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard !digits.isEmpty, digits.count % 2 == 0, digits.count <= 2 * maxKeyBytes else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(digits.count / 2)
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
            default: nil
            }
        }
        var index = 0
        while index < digits.count {
            guard let high = nibble(digits[index]), let low = nibble(digits[index + 1]) else { return nil }
            out.append(high << 4 | low)
            index += 2
        }
        return out
    }
}
