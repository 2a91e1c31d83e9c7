import EventLog

/// Finds the fields of a JSON body that a request type never reads: a typo or a field the
/// route does not take (`"status": "published"` on create) must not be silently dropped.
///
/// The type is decoded a second time, from the parsed tree, by a decoder that notes every
/// key each object is asked for; whatever an object holds and nobody asked for is unknown.
/// So the fields a route takes are those its `Decodable` reads, with no list to keep in
/// step. `JSONDecoder` has already accepted the body, so this pass only walks.
enum UnknownFieldCheck {
    /// The unknown fields' paths (`status`, `criteria.tags`, `events[2].kind2`), each
    /// object's in the body's order, objects in the order they are decoded.
    static func unknownFields<T: Decodable>(in body: JSONValue, reading _: T.Type) -> [String] {
        let ledger = FieldLedger()
        do {
            _ = try T(from: LedgerDecoder(value: body, codingPath: [], ledger: ledger))
        } catch {
            // A type this walk decodes otherwise than JSONDecoder (URL, Data) would leave
            // the objects after it unread and call their fields unknown: name none rather
            // than wrong ones, and let the tests see it.
            assertionFailure("the field check could not walk \(T.self): \(error)")
            return []
        }
        return ledger.unread
    }
}

/// What each object of the body holds and what was read of it, by path.
private final class FieldLedger {
    private var objects: [(path: String, keys: [String])] = []
    private var seen: Set<String> = []
    private var read: [String: Set<String>] = [:]

    func present(_ keys: [String], at path: String) {
        if seen.insert(path).inserted { objects.append((path, keys)) }
    }

    func read(_ key: String, at path: String) { read[path, default: []].insert(key) }

    var unread: [String] {
        objects.flatMap { object in
            object.keys.filter { !(read[object.path]?.contains($0) ?? false) }
                .map { object.path.isEmpty ? $0 : "\(object.path).\($0)" }
        }
    }
}

private struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue }
    init(intValue: Int) { self.stringValue = "\(intValue)"; self.intValue = intValue }
}

/// A coding path as the API's errors spell it: `events[2].kind`.
private func render(_ path: [any CodingKey]) -> String {
    path.reduce(into: "") { out, key in
        if let index = key.intValue { out += "[\(index)]" } else { out += out.isEmpty ? key.stringValue : "." + key.stringValue }
    }
}

private struct LedgerDecoder: Decoder {
    let value: JSONValue
    let codingPath: [any CodingKey]
    let ledger: FieldLedger
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy _: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let members) = value else { throw mismatch([String: Any].self) }
        return KeyedDecodingContainer(LedgerKeyedContainer<Key>(members: members, codingPath: codingPath, ledger: ledger))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let elements) = value else { throw mismatch([Any].self) }
        return LedgerUnkeyedContainer(elements: elements, codingPath: codingPath, ledger: ledger)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    func mismatch(_ type: Any.Type) -> DecodingError {
        .typeMismatch(type, .init(codingPath: codingPath, debugDescription: "not a \(type)"))
    }
}

extension LedgerDecoder: SingleValueDecodingContainer {
    func decodeNil() -> Bool { value == .null }
    func decode(_: Bool.Type) throws -> Bool {
        guard case .bool(let flag) = value else { throw mismatch(Bool.self) }
        return flag
    }
    func decode(_: String.Type) throws -> String {
        guard case .string(let text) = value else { throw mismatch(String.self) }
        return text
    }
    func decode(_: Double.Type) throws -> Double { try number(Double.init) }
    func decode(_: Float.Type) throws -> Float { try number(Float.init) }
    func decode(_: Int.Type) throws -> Int { try integer() }
    func decode(_: Int8.Type) throws -> Int8 { try integer() }
    func decode(_: Int16.Type) throws -> Int16 { try integer() }
    func decode(_: Int32.Type) throws -> Int32 { try integer() }
    func decode(_: Int64.Type) throws -> Int64 { try integer() }
    func decode(_: UInt.Type) throws -> UInt { try integer() }
    func decode(_: UInt8.Type) throws -> UInt8 { try integer() }
    func decode(_: UInt16.Type) throws -> UInt16 { try integer() }
    func decode(_: UInt32.Type) throws -> UInt32 { try integer() }
    func decode(_: UInt64.Type) throws -> UInt64 { try integer() }
    func decode<T: Decodable>(_: T.Type) throws -> T { try T(from: self) }

    private func number<T>(_ make: (String) -> T?) throws -> T {
        guard case .number(let text) = value, let number = make(text) else { throw mismatch(T.self) }
        return number
    }

    /// Also `1.0` or `1e2`, which `JSONDecoder` takes as integers too.
    private func integer<T: FixedWidthInteger>() throws -> T {
        guard case .number(let text) = value else { throw mismatch(T.self) }
        if let exact = T(text) { return exact }
        guard let double = Double(text), let exact = T(exactly: double) else { throw mismatch(T.self) }
        return exact
    }
}

private struct LedgerKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let values: [String: JSONValue]
    let codingPath: [any CodingKey]
    let ledger: FieldLedger
    let path: String

    init(members: [(key: String, value: JSONValue)], codingPath: [any CodingKey], ledger: FieldLedger) {
        values = Dictionary(members, uniquingKeysWith: { _, last in last })
        self.codingPath = codingPath
        self.ledger = ledger
        path = render(codingPath)
        ledger.present(members.map(\.key), at: path)
    }

    var allKeys: [Key] { values.keys.compactMap(Key.init(stringValue:)) }
    func contains(_ key: Key) -> Bool { values[key.stringValue] != nil }

    private func value(_ key: Key) throws -> JSONValue {
        ledger.read(key.stringValue, at: path)
        guard let value = values[key.stringValue] else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "absent"))
        }
        return value
    }

    private func decoder(_ key: Key) throws -> LedgerDecoder {
        LedgerDecoder(value: try value(key), codingPath: codingPath + [key], ledger: ledger)
    }

    func decodeNil(forKey key: Key) throws -> Bool { try value(key) == .null }
    func decode<T: Decodable>(_: T.Type, forKey key: Key) throws -> T { try decoder(key).decode(T.self) }
    func decode(_: Bool.Type, forKey key: Key) throws -> Bool { try decoder(key).decode(Bool.self) }
    func decode(_: String.Type, forKey key: Key) throws -> String { try decoder(key).decode(String.self) }
    func decode(_: Double.Type, forKey key: Key) throws -> Double { try decoder(key).decode(Double.self) }
    func decode(_: Int.Type, forKey key: Key) throws -> Int { try decoder(key).decode(Int.self) }
    func decode(_: Int64.Type, forKey key: Key) throws -> Int64 { try decoder(key).decode(Int64.self) }
    func decode(_: UInt64.Type, forKey key: Key) throws -> UInt64 { try decoder(key).decode(UInt64.self) }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try decoder(key).container(keyedBy: type)
    }
    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer { try decoder(key).unkeyedContainer() }
    func superDecoder() throws -> any Decoder {
        ledger.read("super", at: path)
        return LedgerDecoder(value: values["super"] ?? .null, codingPath: codingPath + [AnyKey(stringValue: "super")], ledger: ledger)
    }
    func superDecoder(forKey key: Key) throws -> any Decoder { try decoder(key) }
}

private struct LedgerUnkeyedContainer: UnkeyedDecodingContainer {
    let elements: [JSONValue]
    let codingPath: [any CodingKey]
    let ledger: FieldLedger
    private(set) var currentIndex = 0

    init(elements: [JSONValue], codingPath: [any CodingKey], ledger: FieldLedger) {
        self.elements = elements
        self.codingPath = codingPath
        self.ledger = ledger
    }

    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    private mutating func next() throws -> LedgerDecoder {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(Any.self, .init(codingPath: codingPath, debugDescription: "past the end"))
        }
        defer { currentIndex += 1 }
        return LedgerDecoder(value: elements[currentIndex], codingPath: codingPath + [AnyKey(intValue: currentIndex)], ledger: ledger)
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, elements[currentIndex] == .null else { return false }
        currentIndex += 1
        return true
    }
    mutating func decode<T: Decodable>(_: T.Type) throws -> T { try next().decode(T.self) }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try next().container(keyedBy: type)
    }
    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { try next().unkeyedContainer() }
    mutating func superDecoder() throws -> any Decoder { try next() }
}
