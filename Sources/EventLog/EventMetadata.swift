/// Metadata carried by an event beside its payload: who caused it and why.
///
/// A small ordered map of string keys to string values. The log does not interpret it; the
/// platform uses ``actor``, ``workspaceID``, ``correlationID`` and ``causationID``.
public struct EventMetadata: Hashable, Sendable, Sequence, ExpressibleByDictionaryLiteral {
    public private(set) var entries: [(key: String, value: String)]

    public static let actorKey = "actor"
    public static let workspaceKey = "workspaceId"
    public static let correlationKey = "correlationId"
    public static let causationKey = "causationId"

    public init() { entries = [] }

    public init(dictionaryLiteral elements: (String, String)...) {
        entries = []
        for (key, value) in elements { self[key] = value }
    }

    public subscript(key: String) -> String? {
        get { entries.first(where: { $0.key == key })?.value }
        set {
            if let index = entries.firstIndex(where: { $0.key == key }) {
                if let newValue { entries[index].value = newValue } else { entries.remove(at: index) }
            } else if let newValue {
                entries.append((key, newValue))
            }
        }
    }

    public var actor: String? {
        get { self[Self.actorKey] }
        set { self[Self.actorKey] = newValue }
    }
    public var workspaceID: String? {
        get { self[Self.workspaceKey] }
        set { self[Self.workspaceKey] = newValue }
    }
    public var correlationID: String? {
        get { self[Self.correlationKey] }
        set { self[Self.correlationKey] = newValue }
    }
    public var causationID: String? {
        get { self[Self.causationKey] }
        set { self[Self.causationKey] = newValue }
    }

    /// Adds an entry whose key is not there yet.
    mutating func append(key: String, value: String) { entries.append((key, value)) }

    /// The platform's keys, and their UTF-8 for comparing bytes read from a line.
    static let platformKeys = [actorKey, workspaceKey, correlationKey, causationKey]
    static let platformKeyNames: [StaticString] = ["actor", "workspaceId", "correlationId", "causationId"]

    public var isEmpty: Bool { entries.isEmpty }
    public func makeIterator() -> IndexingIterator<[(key: String, value: String)]> { entries.makeIterator() }

    public static func == (lhs: EventMetadata, rhs: EventMetadata) -> Bool {
        lhs.entries.elementsEqual(rhs.entries, by: { $0.key == $1.key && $0.value == $1.value })
    }

    public func hash(into hasher: inout Hasher) {
        for (key, value) in entries {
            hasher.combine(key)
            hasher.combine(value)
        }
    }

    // MARK: Binary form: count:u8, then per entry keyLength:u8 key valueLength:u16le value

    static let maxEntries = 255
    static let maxKeyBytes = 255
    static let maxValueBytes = 4096

    func validate() throws(EventLogError) {
        guard entries.count <= Self.maxEntries else {
            throw .invalidEvent("metadata has \(entries.count) entries; the limit is \(Self.maxEntries)")
        }
        for (key, value) in entries {
            guard !key.isEmpty, key.utf8.count <= Self.maxKeyBytes else {
                throw .invalidEvent("metadata key '\(key.prefix(40))' must be 1 to \(Self.maxKeyBytes) bytes")
            }
            guard value.utf8.count <= Self.maxValueBytes else {
                throw .invalidEvent("metadata value of '\(key)' exceeds \(Self.maxValueBytes) bytes")
            }
        }
    }

    var encodedByteCount: Int {
        entries.isEmpty ? 0 : 1 + entries.reduce(0) { $0 + 3 + $1.key.utf8.count + $1.value.utf8.count }
    }

    func encode(into buffer: UnsafeMutableRawBufferPointer) {
        guard !entries.isEmpty else { return }
        var offset = 0
        buffer[offset] = UInt8(entries.count)
        offset += 1
        for (key, value) in entries {
            buffer[offset] = UInt8(key.utf8.count)
            offset += 1
            offset += buffer.storeUTF8(key, at: offset)
            buffer.storeBytes(of: UInt16(value.utf8.count).littleEndian, toByteOffset: offset, as: UInt16.self)
            offset += 2
            offset += buffer.storeUTF8(value, at: offset)
        }
    }

    /// Decodes the binary form; `nil` when the bytes are malformed.
    init?(decoding bytes: UnsafeRawBufferPointer) {
        entries = []
        guard !bytes.isEmpty else { return }
        let count = Int(bytes[0])
        entries.reserveCapacity(count)
        var offset = 1
        for _ in 0..<count {
            guard offset < bytes.count else { return nil }
            let keyLength = Int(bytes[offset])
            offset += 1
            guard offset + keyLength + 2 <= bytes.count else { return nil }
            let key = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + keyLength]), as: UTF8.self)
            offset += keyLength
            let valueLength = Int(UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
            offset += 2
            guard offset + valueLength <= bytes.count else { return nil }
            let value = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + valueLength]), as: UTF8.self)
            offset += valueLength
            entries.append((key, value))
        }
        guard offset == bytes.count else { return nil }
    }
}
