public import Crypto
public import EventLog
import Foundation
public import SmartContentDomain
import Synchronization

/// Crypto-shredding for GDPR: every subject's personal fields (``PersonalField``) are
/// stored in the log sealed with AES-GCM under a key of that subject's own, and the keys
/// live in their own LMDB environment (`DATA/keys`). Destroying a subject's key makes
/// every copy of their personal data in the log unreadable, without rewriting the log.
///
/// Sealing is deterministic (the nonce is an HMAC of the field and its value under a key
/// derived from the subject's), so a retried or re-imported event seals to the same
/// bytes and the log's idempotency still recognises it. Equal values of one subject give
/// equal ciphertexts, which reveals nothing across subjects. The subject and field are
/// authenticated, so a sealed value cannot be moved to another subject or field.
///
/// Keys are read from the store at every open, never cached: a key destroyed by another
/// process (the CLI beside a server) is gone for this one at its next read. Only what is
/// derived from a key is remembered, next to the key it came from.
public final class PersonalDataVault: Sendable {
    /// Where a subject's key stands.
    public enum KeyStatus: Sendable, Hashable {
        /// No personal data of the subject was ever sealed.
        case none
        case active
        /// The key was destroyed at that time; the subject's data reads as erased.
        case erased(at: Instant)
    }

    public enum Failure: Error, CustomStringConvertible, Sendable {
        case corruptKey(subject: String)
        /// The key store is gone while the log holds data sealed under it: opening would
        /// create an empty one and every such field would read as erased.
        case keysMissing(directory: String, firstSealedPosition: UInt64)

        public var description: String {
            switch self {
            case .corruptKey(let subject): "the key of \(subject) is not a 256-bit key"
            case .keysMissing(let directory, let position):
                "the key store \(directory) is missing, yet the log holds personal data sealed under it (first at "
                    + "position \(position)); restore it from a backup of this store before opening it"
            }
        }
    }

    /// The position of the first event of `log` holding a sealed personal field, if any.
    public static func firstSealedPosition(in log: EventLog) throws -> UInt64? {
        try log.withSnapshot { snapshot in
            var found: UInt64?
            try snapshot.forEach(from: 1, filter: EventFilter(types: DomainEvent.personalDataTypes)) { view in
                guard let event = try? EventCatalog.decode(view) else { return true }
                _ = event.mappingPersonalData { _, value in
                    if value.hasPrefix(prefix) { found = view.position }
                    return value
                }
                return found == nil
            }
            return found
        }
    }

    /// Opens the key store of a store whose log is `log`, refusing to create an empty one
    /// beside a log that holds sealed data (``Failure/keysMissing(directory:firstSealedPosition:)``).
    public convenience init(directory: String, beside log: EventLog) throws {
        try Self.checkPresent(directory: directory, beside: log)
        try self.init(directory: directory)
    }

    /// Opens the key store only if it exists: `nil` for a store that never sealed anything;
    /// ``Failure/keysMissing(directory:firstSealedPosition:)`` when the log holds sealed
    /// data but the key store is gone (readers must not print sealed text as the data).
    public static func existing(directory: String, beside log: EventLog) throws -> PersonalDataVault? {
        try checkPresent(directory: directory, beside: log)
        guard access(directory + "/data.mdb", F_OK) == 0 else { return nil }
        return try PersonalDataVault(directory: directory)
    }

    private static func checkPresent(directory: String, beside log: EventLog) throws {
        if access(directory + "/data.mdb", F_OK) != 0, let position = try firstSealedPosition(in: log) {
            throw Failure.keysMissing(directory: directory, firstSealedPosition: position)
        }
    }

    static let prefix = "sealed:v1:"

    let environment: LMDBEnvironment
    /// subject → 32-byte key
    let keys: LMDBDatabase
    /// subject → when its key was destroyed (milliseconds since 1970, UInt64 little endian)
    let erasures: LMDBDatabase
    /// Encryption keys derived from subjects' stored keys: the derivation (HKDF) cost more
    /// than the rest of opening a field, and a rebuild opens every login and profile of the log.
    private let derived = Mutex<[String: SubjectCipher]>([:])
    private static let derivedLimit = 100_000

    /// Opens (creating) the key store in `directory`. Every key is synced to disk before
    /// data sealed under it is appended.
    public init(directory: String) throws {
        var options = LMDBEnvironment.Options()
        options.initialMapSize = 16 << 20
        options.maxDatabases = 2
        environment = try LMDBEnvironment(directory: directory, options: options)
        let databases = try environment.openDatabases(named: ["keys", "erasures"])
        keys = databases[0]
        erasures = databases[1]
    }

    public func close() { environment.close() }

    /// A consistent, compacted copy of the key store.
    public func backup(to directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try environment.copy(to: directory, compact: true)
    }

    // MARK: Sealing and opening

    /// The events with their personal fields sealed, creating (in one durable commit) the
    /// keys of subjects seen for the first time. The fields of an erased subject are not
    /// stored at all: they become ``PersonalField/erased``.
    public func seal(_ events: [DomainEvent]) throws -> [DomainEvent] {
        guard events.contains(where: \.carriesPersonalData) else { return events }
        var subjectKeys: [String: SymmetricKey?] = [:]
        var missing: [String] = []
        try environment.read { txn in
            for event in events where event.carriesPersonalData {
                guard let subject = event.subject, subjectKeys[subject] == nil else { continue }
                let key = try Self.key(of: subject, txn, keys)
                if key == nil, try Self.erasedAt(subject, txn, erasures) == nil { missing.append(subject) }
                subjectKeys[subject] = key
            }
        }
        if !missing.isEmpty {
            try environment.write { txn in
                for subject in missing {
                    subjectKeys[subject] = try createKey(for: subject, txn)
                }
            }
        }
        return try events.map { event in
            guard event.carriesPersonalData, let subject = event.subject else { return event }
            guard let key = subjectKeys[subject] ?? nil else {
                return event.mappingPersonalData { _, _ in PersonalField.erased }
            }
            let cipher = SubjectCipher(key: key, subject: subject)
            return try event.mappingPersonalData { field, value in try cipher.seal(value, field: field) }
        }
    }

    /// The event with its personal fields readable: decrypted, or ``PersonalField/erased``
    /// when the key was destroyed (or the sealed bytes were damaged).
    public func open(_ event: DomainEvent) throws -> DomainEvent {
        guard event.carriesPersonalData, let subject = event.subject else { return event }
        let key = try environment.read { txn in try Self.key(of: subject, txn, keys) }
        let cipher = key.map { derivedCipher(key: $0, subject: subject) }
        return event.mappingPersonalData { field, value in
            guard value.hasPrefix(Self.prefix) else { return value }
            return cipher?.open(value, field: field) ?? PersonalField.erased
        }
    }

    private func derivedCipher(key: SymmetricKey, subject: String) -> SubjectCipher {
        if let known = derived.withLock({ $0[subject] }), known.key == key { return known }
        let cipher = SubjectCipher(key: key, subject: subject)
        derived.withLock { derived in
            if derived.count >= Self.derivedLimit { derived.removeAll(keepingCapacity: true) }
            derived[subject] = cipher
        }
        return cipher
    }

    // MARK: Keys

    public func status(of subject: String) throws -> KeyStatus {
        try environment.read { txn in
            if let at = try Self.erasedAt(subject, txn, erasures) { return .erased(at: at) }
            return try Self.key(of: subject, txn, keys) == nil ? .none : .active
        }
    }

    /// Destroys the subject's key and remembers that it was erased, so that no key is
    /// ever made for it again. The key's bytes leave the file at the next compaction.
    /// Returns `false` when the subject was already erased.
    @discardableResult
    public func destroyKey(of subject: String, at time: Instant) throws -> Bool {
        let destroyed = try environment.write { txn in
            if try Self.erasedAt(subject, txn, erasures) != nil { return false }
            try Array(subject.utf8).withUnsafeBytes { name in
                _ = try txn.delete(keys, key: name)
                try withUnsafeBytes(of: UInt64(time.millisecondsSince1970).littleEndian) {
                    try txn.put(erasures, key: name, value: $0)
                }
            }
            return true
        }
        // Nothing could decrypt with it any more, but no copy of an erased key stays in memory.
        derived.withLock { _ = $0.removeValue(forKey: subject) }
        return destroyed
    }

    /// A `SubjectErased` in the log means its subject's key is gone, however the event got
    /// there (an erasure, `record`, `import`, `append`): call this once they are appended.
    public func destroyKeys(erasedIn events: [DomainEvent], at time: Instant) throws {
        for case .subjectErased(let erased) in events { try destroyKey(of: erased.subjectId, at: time) }
    }

    /// The same for events already encoded for the log (the CLI's `import` and `append`).
    public func destroyKeys(erasedIn events: [NewEvent], at time: Instant) throws {
        let erasures = events.filter { $0.type == SubjectErased.eventType }.compactMap { event in
            try? event.payload.withUnsafeBytes {
                try EventCatalog.decode(type: event.type, schemaVersion: event.schemaVersion, binary: $0)
            }
        }
        try destroyKeys(erasedIn: erasures, at: time)
    }

    /// Problems of the key store: keys of the wrong size, subjects both keyed and erased.
    public func verify() throws -> [String] {
        try environment.read { txn in
            var problems: [String] = []
            try txn.withCursor(keys) { cursor in
                var entry = try cursor.first()
                while let (name, value) = entry {
                    let subject = String(decoding: name, as: UTF8.self)
                    if value.count != 32 { problems.append("keys: the key of \(subject) has \(value.count) bytes, not 32") }
                    if try Self.erasedAt(subject, txn, erasures) != nil {
                        problems.append("keys: \(subject) is erased but still has a key")
                    }
                    entry = try cursor.next()
                }
            }
            return problems
        }
    }

    /// What is wrong with the sealed personal data of `event`, if anything: a field stored
    /// in clear, a subject with neither a key nor an erasure, a field that does not open.
    public func problem(with event: DomainEvent) throws -> String? {
        guard event.carriesPersonalData, let subject = event.subject else { return nil }
        let status = try status(of: subject)
        var problem: String?
        _ = event.mappingPersonalData { field, value in
            guard problem == nil else { return value }
            if value == PersonalField.erased { return value }
            guard value.hasPrefix(Self.prefix) else {
                problem = "the \(field.rawValue) of \(subject) is stored in clear"
                return value
            }
            switch status {
            case .none: problem = "the \(field.rawValue) of \(subject) is sealed under a key that is missing"
            case .erased: break
            case .active:
                let key = try? environment.read { txn in try Self.key(of: subject, txn, keys) }
                if key.flatMap({ SubjectCipher(key: $0, subject: subject).open(value, field: field) }) == nil {
                    problem = "the \(field.rawValue) of \(subject) does not open with its key (damaged)"
                }
            }
            return value
        }
        return problem
    }

    private func createKey(for subject: String, _ txn: LMDBTransaction) throws -> SymmetricKey {
        let fresh = SymmetricKey(size: .bits256)
        return try Array(subject.utf8).withUnsafeBytes { name in
            try fresh.withUnsafeBytes { bytes in
                // Another process may have made one first: then that one is the key.
                if let existing = try txn.insert(keys, key: name, value: bytes) {
                    guard existing.count == 32 else { throw Failure.corruptKey(subject: subject) }
                    return SymmetricKey(data: existing)
                }
                return fresh
            }
        }
    }

    private static func key(of subject: String, _ txn: LMDBTransaction, _ keys: LMDBDatabase) throws -> SymmetricKey? {
        try Array(subject.utf8).withUnsafeBytes { name in
            guard let stored = try txn.get(keys, key: name) else { return nil }
            guard stored.count == 32 else { throw Failure.corruptKey(subject: subject) }
            return SymmetricKey(data: stored)
        }
    }

    private static func erasedAt(_ subject: String, _ txn: LMDBTransaction, _ erasures: LMDBDatabase) throws -> Instant? {
        try Array(subject.utf8).withUnsafeBytes { name in
            guard let stored = try txn.get(erasures, key: name), stored.count == 8 else { return nil }
            return Instant(millisecondsSince1970: Int64(UInt64(littleEndian: stored.loadUnaligned(as: UInt64.self))))
        }
    }
}

/// AES-GCM with a synthetic nonce for one subject's fields.
struct SubjectCipher: Sendable {
    /// The subject's stored key, which the others derive from.
    let key: SymmetricKey
    let encryption: SymmetricKey
    let subject: String

    init(key: SymmetricKey, subject: String) {
        self.key = key
        encryption = HKDF<SHA256>.deriveKey(inputKeyMaterial: key, info: Data("smartcontent field encryption".utf8),
                                            outputByteCount: 32)
        self.subject = subject
    }

    /// Only sealing needs it.
    private var nonceKey: SymmetricKey {
        HKDF<SHA256>.deriveKey(inputKeyMaterial: key, info: Data("smartcontent field nonce".utf8), outputByteCount: 32)
    }

    private func context(_ field: PersonalField) -> Data { Data("\(subject)\u{0}\(field.rawValue)".utf8) }

    func seal(_ value: String, field: PersonalField) throws -> String {
        let plaintext = Data(value.utf8)
        var message = context(field)
        message.append(0)
        message.append(plaintext)
        let mac = HMAC<SHA256>.authenticationCode(for: message, using: nonceKey)
        let nonce = try AES.GCM.Nonce(data: Data(mac.prefix(12)))
        let box = try AES.GCM.seal(plaintext, using: encryption, nonce: nonce, authenticating: context(field))
        // `combined` is nonce ‖ ciphertext ‖ tag; always present with a 12-byte nonce.
        return PersonalDataVault.prefix + box.combined!.base64EncodedString()
    }

    func open(_ sealed: String, field: PersonalField) -> String? {
        guard let data = Data(base64Encoded: String(sealed.dropFirst(PersonalDataVault.prefix.count))),
              let box = try? AES.GCM.SealedBox(combined: data),
              let plaintext = try? AES.GCM.open(box, using: encryption, authenticating: context(field))
        else { return nil }
        return String(decoding: plaintext, as: UTF8.self)
    }
}
