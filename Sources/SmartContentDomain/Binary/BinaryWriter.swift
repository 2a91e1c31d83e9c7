/// Appends values in the domain's compact binary form: little-endian fixed-width
/// integers, LEB128 varints for lengths and counts, UTF-8 strings with a varint length.
/// It is positional (no field names), so every type writes and reads its fields in one
/// fixed order; a schema change bumps the event's schema version (see `EventCatalog`).
public struct BinaryWriter {
    public private(set) var bytes: [UInt8]

    public init(capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    @inline(__always)
    public mutating func writeVarint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    @inline(__always)
    public mutating func write(_ value: UInt8) { bytes.append(value) }

    @inline(__always)
    public mutating func write(_ value: Bool) { bytes.append(value ? 1 : 0) }

    @inline(__always)
    public mutating func write(_ value: Int64) {
        // Zig-zag, so small negative numbers stay small.
        writeVarint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    @inline(__always)
    public mutating func write(_ value: Int) { write(Int64(value)) }

    @inline(__always)
    public mutating func write(_ value: UInt64) { writeVarint(value) }

    @inline(__always)
    public mutating func write(_ value: Double) {
        withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
    }

    @inline(__always)
    public mutating func write(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            writeVarint(UInt64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    @inline(__always)
    public mutating func write<T: BinaryCodable>(_ value: T) { value.encode(to: &self) }

    public mutating func write<T: BinaryCodable>(_ value: T?) {
        if let value {
            bytes.append(1)
            value.encode(to: &self)
        } else {
            bytes.append(0)
        }
    }

    public mutating func write<T: BinaryCodable>(_ values: [T]) {
        writeVarint(UInt64(values.count))
        for value in values { value.encode(to: &self) }
    }
}
