/// Appends values in the domain's compact binary form: little-endian fixed-width
/// integers, LEB128 varints for lengths and counts, UTF-8 strings with a varint length.
/// It is positional (no field names), so every type writes and reads its fields in one
/// fixed order; a schema change bumps the event's schema version (see `EventCatalog`).
public struct BinaryWriter {
    @usableFromInline var storage: [UInt8]
    /// What was written so far.
    public var bytes: [UInt8] { storage }

    @inlinable
    public init(capacity: Int = 256) {
        storage = []
        storage.reserveCapacity(capacity)
    }

    /// Starts over, keeping the buffer.
    @inlinable
    public mutating func removeAll() { storage.removeAll(keepingCapacity: true) }

    /// Bytes written so far.
    @inlinable
    public var count: Int { storage.count }

    @inlinable
    public mutating func reserveCapacity(_ capacity: Int) { storage.reserveCapacity(capacity) }

    /// Appends bytes as they are, with no length: for a buffer that other code frames.
    @inlinable
    public mutating func writeRaw(_ bytes: [UInt8]) { storage.append(contentsOf: bytes) }

    @inlinable
    public mutating func writeVarint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            storage.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        storage.append(UInt8(value))
    }

    @inlinable
    public mutating func write(_ value: UInt8) { storage.append(value) }

    @inlinable
    public mutating func write(_ value: Bool) { storage.append(value ? 1 : 0) }

    @inlinable
    public mutating func write(_ value: Int64) {
        // Zig-zag, so small negative numbers stay small.
        writeVarint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    @inlinable
    public mutating func write(_ value: Int) { write(Int64(value)) }

    @inlinable
    public mutating func write(_ value: UInt64) { writeVarint(value) }

    /// Eight bytes, little-endian: for values spread over the whole range (ids), where a
    /// varint would take ten.
    @inlinable
    public mutating func writeFixed(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { storage.append(contentsOf: $0) }
    }

    @inlinable
    public mutating func write(_ value: Double) {
        withUnsafeBytes(of: value.bitPattern.littleEndian) { storage.append(contentsOf: $0) }
    }

    @inlinable
    public mutating func write(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            writeVarint(UInt64(utf8.count))
            storage.append(contentsOf: utf8)
        }
    }

    @inlinable
    public mutating func write<T: BinaryCodable>(_ value: T) { value.encode(to: &self) }

    @inlinable
    public mutating func write<T: BinaryCodable>(_ value: T?) {
        if let value {
            storage.append(1)
            value.encode(to: &self)
        } else {
            storage.append(0)
        }
    }

    @inlinable
    public mutating func write<T: BinaryCodable>(_ values: [T]) {
        writeVarint(UInt64(values.count))
        for value in values { value.encode(to: &self) }
    }
}
