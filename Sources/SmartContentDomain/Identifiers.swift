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
        var text = text
        return text.withUTF8 { isValid(UnsafeRawBufferPointer($0)) }
    }

    /// Whether `bytes` are a valid id of this kind (and so ASCII).
    static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        // Every prefix is four ASCII bytes ending in `_`.
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

    /// Checks the bytes as they lie in the record: a valid id is ASCII, so it needs no
    /// other validation to become a string (most of a log's fields are ids).
    public init(from reader: inout BinaryReader) throws(BinaryDecodingError) {
        let bytes = try reader.readCountedBytes()
        guard Self.isValid(bytes) else {
            throw BinaryDecodingError(offset: reader.offset,
                                      reason: "invalid \(Self.self) '\(String(decoding: bytes, as: UTF8.self))'")
        }
        self.init(unchecked: String(decoding: bytes.assumingMemoryBound(to: UInt8.self), as: UTF8.self))
    }
}

/// 11 characters of the URL-safe base-64 alphabet: 66 random bits (as many as a YouTube
/// video id), unique without coordination. With its four-byte prefix a generated id is 15
/// bytes, which a Swift string keeps inline: decoding, comparing and hashing the ids of a
/// log allocates nothing. (Ids were 16 base-32 characters before, 20 bytes in all: a
/// heap allocation for every id of every decoded event. Those stay valid.)
enum IDGenerator {
    static let length = 11
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    static func next() -> String {
        var generator = SystemRandomNumberGenerator()
        var random = generator.next() as UInt64
        let more = generator.next() as UInt64
        var out = [UInt8](repeating: 0, count: length)
        for index in 0..<length - 1 {
            out[index] = alphabet[Int(random & 63)]
            random >>= 6
        }
        out[length - 1] = alphabet[Int(more & 63)]
        return String(decoding: out, as: UTF8.self)
    }
}

public struct UserID: PrefixedID {
    public static let prefix = "usr_"
    public let rawValue: String
    public init(unchecked rawValue: String) { self.rawValue = rawValue }
}

/// What the engine stores in place of a reader id that could identify someone (an
/// email, a cookie): the mapping lives in the key store, and an erasure destroys it.
public struct ReaderPseudonym: PrefixedID {
    public static let prefix = "rdr_"
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

/// A workspace's subscription of a URL to event types (issue 14, item 4).
public struct WebhookSubscriptionID: PrefixedID {
    public static let prefix = "whk_"
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
        var text = rawValue
        guard text.withUTF8({ Self.isValid(UnsafeRawBufferPointer($0)) }) else { return nil }
        self.rawValue = rawValue
    }

    /// Whether the UTF-8 `bytes` are a valid reader id: 1 to 128 bytes, no ASCII control
    /// characters (C0 or DEL).
    static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard bytes.count >= 1, bytes.count <= 128 else { return false }
        for byte in bytes where byte < 0x20 || byte == 0x7F { return false }
        return true
    }

    public var description: String { rawValue }

    public func encode(to writer: inout BinaryWriter) { writer.write(rawValue) }

    /// Checks the bytes as they lie in the record, as ids do.
    public init(from reader: inout BinaryReader) throws(BinaryDecodingError) {
        let bytes = try reader.readCountedBytes()
        let text: String
        if bytes.allSatisfy({ $0 < 0x80 }) {
            text = String(decoding: bytes.assumingMemoryBound(to: UInt8.self), as: UTF8.self)
        } else {
            guard let decoded = String(validating: bytes, as: UTF8.self) else {
                throw BinaryDecodingError(offset: reader.offset - bytes.count, reason: "invalid UTF-8")
            }
            text = decoded
        }
        guard Self.isValid(bytes) else {
            throw BinaryDecodingError(offset: reader.offset, reason: "unknown value '\(text)' of ReaderID")
        }
        rawValue = text
    }

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
