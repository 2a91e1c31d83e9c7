/// Reads what ``BinaryWriter`` wrote, checking every bound: malformed bytes raise
/// ``BinaryDecodingError``, never a crash.
public struct BinaryReader {
    @usableFromInline let bytes: UnsafeRawBufferPointer
    @usableFromInline var _offset = 0
    public var offset: Int { _offset }

    @inlinable
    public init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    @inlinable
    public var isAtEnd: Bool { _offset == bytes.count }

    @inlinable
    func fail(_ reason: String) -> BinaryDecodingError { BinaryDecodingError(offset: _offset, reason: reason) }

    @inlinable
    public mutating func readByte() throws(BinaryDecodingError) -> UInt8 {
        guard _offset < bytes.count else { throw fail("unexpected end") }
        defer { _offset += 1 }
        return bytes[_offset]
    }

    @inlinable
    public mutating func readVarint() throws(BinaryDecodingError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try readByte()
            guard shift < 64 else { throw fail("varint too long") }
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return result }
            shift += 7
        }
    }

    @inlinable
    public mutating func read(_: Bool.Type = Bool.self) throws(BinaryDecodingError) -> Bool {
        switch try readByte() {
        case 0: return false
        case 1: return true
        default: throw fail("invalid boolean")
        }
    }

    @inlinable
    public mutating func read(_: Int64.Type = Int64.self) throws(BinaryDecodingError) -> Int64 {
        let raw = try readVarint()
        return Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
    }

    @inlinable
    public mutating func read(_: Int.Type = Int.self) throws(BinaryDecodingError) -> Int {
        let value = try read(Int64.self)
        guard let int = Int(exactly: value) else { throw fail("integer out of range") }
        return int
    }

    @inlinable
    public mutating func read(_: UInt64.Type = UInt64.self) throws(BinaryDecodingError) -> UInt64 {
        try readVarint()
    }

    /// What ``BinaryWriter/writeFixed(_:)`` wrote.
    @inlinable
    public mutating func readFixed() throws(BinaryDecodingError) -> UInt64 {
        guard _offset + 8 <= bytes.count else { throw fail("unexpected end") }
        defer { _offset += 8 }
        return UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: _offset, as: UInt64.self))
    }

    @inlinable
    public mutating func read(_: Double.Type = Double.self) throws(BinaryDecodingError) -> Double {
        Double(bitPattern: try readFixed())
    }

    /// The bytes of a length-prefixed field (a string's), not yet checked: for types that
    /// check them faster than a `String` can be checked once made.
    @inlinable
    public mutating func readCountedBytes() throws(BinaryDecodingError) -> UnsafeRawBufferPointer {
        let count = Int(clamping: try readVarint())
        guard count <= bytes.count - _offset else { throw fail("string longer than the record") }
        defer { _offset += count }
        return UnsafeRawBufferPointer(rebasing: bytes[_offset..<_offset + count])
    }

    @inlinable
    public mutating func read(_: String.Type = String.self) throws(BinaryDecodingError) -> String {
        let slice = try readCountedBytes()
        // Ids and names are nearly always ASCII, which needs no validation beyond the high
        // bit; the generic validating initializer spends more on runtime metadata lookups
        // than on the bytes.
        if slice.allSatisfy({ $0 < 0x80 }) { return String(decoding: slice.assumingMemoryBound(to: UInt8.self), as: UTF8.self) }
        guard let string = String(validating: slice, as: UTF8.self) else {
            throw BinaryDecodingError(offset: _offset - slice.count, reason: "invalid UTF-8")
        }
        return string
    }

    @inlinable
    public mutating func read<T: BinaryCodable>(_: T.Type = T.self) throws(BinaryDecodingError) -> T {
        try T(from: &self)
    }

    @inlinable
    public mutating func read<T: BinaryCodable>(_: T?.Type = T?.self) throws(BinaryDecodingError) -> T? {
        switch try readByte() {
        case 0: return nil
        case 1: return try T(from: &self)
        default: throw fail("invalid optional tag")
        }
    }

    @inlinable
    public mutating func read<T: BinaryCodable>(_: [T].Type = [T].self) throws(BinaryDecodingError) -> [T] {
        let count = Int(clamping: try readVarint())
        // Every element takes at least one byte: a count beyond that is corruption.
        guard count <= bytes.count - _offset else { throw fail("array count beyond the record") }
        var values: [T] = []
        values.reserveCapacity(count)
        for _ in 0..<count { values.append(try T(from: &self)) }
        return values
    }
}

public struct BinaryDecodingError: Error, Hashable, Sendable, CustomStringConvertible {
    public var offset: Int
    public var reason: String

    @inlinable
    public init(offset: Int, reason: String) {
        self.offset = offset
        self.reason = reason
    }
    public var description: String { "malformed binary payload at byte \(offset): \(reason)" }
}

/// A type with a binary form written by ``BinaryWriter`` and read by ``BinaryReader``.
public protocol BinaryCodable {
    func encode(to writer: inout BinaryWriter)
    init(from reader: inout BinaryReader) throws(BinaryDecodingError)
}

extension String: BinaryCodable {
    public func encode(to writer: inout BinaryWriter) { writer.write(self) }
    public init(from reader: inout BinaryReader) throws(BinaryDecodingError) { self = try reader.read(String.self) }
}

extension Int64: BinaryCodable {
    public func encode(to writer: inout BinaryWriter) { writer.write(self) }
    public init(from reader: inout BinaryReader) throws(BinaryDecodingError) { self = try reader.read(Int64.self) }
}

extension Int: BinaryCodable {
    public func encode(to writer: inout BinaryWriter) { writer.write(self) }
    public init(from reader: inout BinaryReader) throws(BinaryDecodingError) { self = try reader.read(Int.self) }
}

extension UInt64: BinaryCodable {
    public func encode(to writer: inout BinaryWriter) { writer.write(self) }
    public init(from reader: inout BinaryReader) throws(BinaryDecodingError) { self = try reader.read(UInt64.self) }
}

extension Double: BinaryCodable {
    public func encode(to writer: inout BinaryWriter) { writer.write(self) }
    public init(from reader: inout BinaryReader) throws(BinaryDecodingError) { self = try reader.read(Double.self) }
}

extension Bool: BinaryCodable {
    public func encode(to writer: inout BinaryWriter) { writer.write(self) }
    public init(from reader: inout BinaryReader) throws(BinaryDecodingError) { self = try reader.read(Bool.self) }
}

extension BinaryCodable where Self: RawRepresentable, RawValue == String {
    public func encode(to writer: inout BinaryWriter) { writer.write(rawValue) }
    public init(from reader: inout BinaryReader) throws(BinaryDecodingError) {
        let raw = try reader.read(String.self)
        guard let value = Self(rawValue: raw) else {
            throw BinaryDecodingError(offset: reader.offset, reason: "unknown value '\(raw)' of \(Self.self)")
        }
        self = value
    }
}
