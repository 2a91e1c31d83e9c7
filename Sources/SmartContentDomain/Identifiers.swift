import Synchronization

/// An identifier of the platform: a fixed prefix (`usr_`, `cnt_` …) and 1 to 64 characters
/// of `[A-Za-z0-9_-]`. Each kind of id is its own type, so a content id cannot be passed
/// where a user id is expected.
public protocol PrefixedID: RawRepresentable, Hashable, Sendable, Codable, Comparable, BinaryCodable,
    CustomStringConvertible, ExpressibleByStringLiteral where RawValue == String {
    static var prefix: String { get }
    init(unchecked rawValue: String)
}

extension PrefixedID {
    public init?(rawValue: String) {
        guard Self.isValid(rawValue) else { return nil }
        self.init(unchecked: rawValue)
    }

    public init(stringLiteral value: String) {
        guard let id = Self(rawValue: value) else { preconditionFailure("invalid \(Self.self): \(value)") }
        self = id
    }

    /// A fresh random id.
    public static func generate() -> Self {
        Self(unchecked: prefix + IDGenerator.next())
    }

    public static func isValid(_ text: String) -> Bool {
        // Every prefix is four ASCII bytes ending in `_`.
        var text = text
        return text.withUTF8 { bytes in
            guard bytes.count > 4, bytes.count <= 68 else { return false }
            var index = 0
            for byte in prefix.utf8 {
                guard bytes[index] == byte else { return false }
                index += 1
            }
            while index < bytes.count {
                let byte = bytes[index]
                guard (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                    || byte == 0x5F || byte == 0x2D
                else { return false }
                index += 1
            }
            return true
        }
    }

    public var description: String { rawValue }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let id = Self(rawValue: text) else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath, debugDescription: "'\(text)' is not a valid \(Self.prefix)… id"))
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public func encode(to writer: inout BinaryWriter) { writer.write(rawValue) }

    public init(from reader: inout BinaryReader) throws(BinaryDecodingError) {
        let text = try reader.read(String.self)
        guard Self.isValid(text) else { throw BinaryDecodingError(offset: reader.offset, reason: "invalid \(Self.self) '\(text)'") }
        self.init(unchecked: text)
    }
}

/// 16 characters of base-32 (80 random bits): unique without coordination.
enum IDGenerator {
    private static let alphabet = Array("0123456789abcdefghjkmnpqrstvwxyz".utf8)

    static func next() -> String {
        var generator = SystemRandomNumberGenerator()
        var random = generator.next() as UInt64
        var more = generator.next() as UInt64
        var out = [UInt8](repeating: 0, count: 16)
        for index in 0..<16 {
            if index == 12 { random = more; more = 0 }
            out[index] = alphabet[Int(random & 31)]
            random >>= 5
        }
        return String(decoding: out, as: UTF8.self)
    }
}

public struct UserID: PrefixedID {
    public static let prefix = "usr_"
    public let rawValue: String
    public init(unchecked rawValue: String) { self.rawValue = rawValue }
}

public struct WorkspaceID: PrefixedID {
    public static let prefix = "wsp_"
    public let rawValue: String
    public init(unchecked rawValue: String) { self.rawValue = rawValue }
}

public struct ContentID: PrefixedID {
    public static let prefix = "cnt_"
    public let rawValue: String
    public init(unchecked rawValue: String) { self.rawValue = rawValue }
}

public struct ScheduleID: PrefixedID {
    public static let prefix = "sch_"
    public let rawValue: String
    public init(unchecked rawValue: String) { self.rawValue = rawValue }
}

public struct ChannelID: PrefixedID {
    public static let prefix = "chn_"
    public let rawValue: String
    public init(unchecked rawValue: String) { self.rawValue = rawValue }
}

public struct JobID: PrefixedID {
    public static let prefix = "job_"
    public let rawValue: String
    public init(unchecked rawValue: String) { self.rawValue = rawValue }
}

public struct AudienceID: PrefixedID {
    public static let prefix = "aud_"
    public let rawValue: String
    public init(unchecked rawValue: String) { self.rawValue = rawValue }
}

public struct ABTestID: PrefixedID {
    public static let prefix = "abt_"
    public let rawValue: String
    public init(unchecked rawValue: String) { self.rawValue = rawValue }
}

/// Who engaged with content: a registered user's id or any opaque reader id (1 to 128
/// printable characters). Personalization and GDPR treat both alike.
public struct ReaderID: RawRepresentable, Hashable, Sendable, Codable, BinaryCodable, CustomStringConvertible {
    public let rawValue: String

    public init?(rawValue: String) {
        let count = rawValue.utf8.count
        guard count >= 1, count <= 128, !rawValue.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) else { return nil }
        self.rawValue = rawValue
    }

    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let id = ReaderID(rawValue: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "a reader id is 1 to 128 printable characters"))
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
