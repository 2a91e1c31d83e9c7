import Crypto
public import EventLog
import Foundation
import LMDB
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
///
/// Credentials (password hashes, channel secrets) are sealed the same way, under the
/// user's or the channel's key, but ``open(_:)`` leaves them sealed: read models hold them
/// sealed, and only ``openCredential(_:field:holder:)`` opens one, where it is used.
///
/// Reader ids that could identify someone (an email as a reader id) never reach the log:
/// ``seal(_:)`` replaces each by a pseudonym (`rdr_…`) kept here, and erasing the
/// pseudonym's subject deletes the mapping, so the reader id leaves the store with it.
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
    /// reader id → its pseudonym, and back
    let pseudonyms: LMDBDatabase
    let readers: LMDBDatabase
    /// Encryption keys derived from subjects' stored keys: the derivation (HKDF) cost more
    /// than the rest of opening a field, and a rebuild opens every login and profile of the log.
    private let derived = Mutex<[String: SubjectCipher]>([:])
    private static let derivedLimit = 100_000

    /// Opens (creating) the key store in `directory`. Every key is synced to disk before
    /// data sealed under it is appended.
    public init(directory: String) throws {
        var options = LMDBEnvironment.Options()
        options.initialMapSize = 16 << 20
        options.maxDatabases = 4
        environment = try LMDBEnvironment(directory: directory, options: options)
        let databases = try environment.openDatabases(named: ["keys", "erasures", "pseudonyms", "readers"])
        keys = databases[0]
        erasures = databases[1]
        pseudonyms = databases[2]
        readers = databases[3]
    }

    public func close() { environment.close() }

    /// A consistent, compacted copy of the key store.
    public func backup(to directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try environment.copy(to: directory, compact: true)
    }

    // MARK: Sealing and opening

    /// The events with their personal fields sealed and their reader ids pseudonymous,
    /// creating (in one durable commit) the keys of holders and the pseudonyms of readers
    /// seen for the first time. The fields of an erased holder are not stored at all: they
    /// become ``PersonalField/erased``.
    public func seal(_ events: [DomainEvent]) throws -> [DomainEvent] {
        var memory = PseudonymMemory()
        return try seal(events, remembering: &memory)
    }

    /// Which pseudonym stands for which reader, remembered from one ``seal(_:remembering:)``
    /// to the next by a caller that seals many batches (an import), where looking each
    /// reader up again cost more than the rest of sealing. Forgotten as soon as any subject
    /// is erased (by any process), so no event is ever sealed with an erased pseudonym that
    /// a call without memory would not have used.
    public struct PseudonymMemory: Sendable {
        var known: [ReaderID: ReaderID] = [:]
        /// The number of erasures when `known` was last checked.
        var erasures = -1
        static let limit = 100_000

        public init() {}
    }

    /// ``seal(_:)``, looking up only the readers `memory` does not know.
    public func seal(_ events: [DomainEvent], remembering memory: inout PseudonymMemory) throws -> [DomainEvent] {
        guard events.contains(where: { $0.carriesPersonalData || $0.namesReadersInClear }) else { return events }
        var holderKeys: [String: SymmetricKey?] = [:]
        var missing: [String] = []
        var known = memory.known
        memory.known = [:]
        var unknown: Set<ReaderID> = []
        try environment.read { txn in
            // Every erasure adds an entry: an unchanged count means no pseudonym was erased.
            let erasureCount = try txn.count(erasures)
            if erasureCount != memory.erasures || known.count > PseudonymMemory.limit {
                known.removeAll()
                memory.erasures = erasureCount
            }
            for event in events {
                if event.carriesPersonalData, let holder = event.keyHolder, holderKeys[holder] == nil {
                    let key = try Self.key(of: holder, txn, keys)
                    if key == nil, try Self.erasedAt(holder, txn, erasures) == nil { missing.append(holder) }
                    holderKeys[holder] = key
                }
                // `known` holds no surrogate: a reader found there needs no other check.
                _ = try event.mappingReaderIDs { reader in
                    guard known[reader] == nil, !reader.isSurrogate, !unknown.contains(reader) else { return reader }
                    if let pseudonym = try Self.lookUp(reader.rawValue, txn, pseudonyms) {
                        known[reader] = pseudonym
                    } else {
                        unknown.insert(reader)
                    }
                    return reader
                }
            }
        }
        if !missing.isEmpty || !unknown.isEmpty {
            try environment.write { txn in
                for holder in missing { holderKeys[holder] = try createKey(for: holder, txn) }
                for reader in unknown { known[reader] = try createPseudonym(for: reader, txn) }
            }
        }
        defer { memory.known = known }
        return try events.map { event in
            var event = event
            event = event.mappingReaderIDs { reader in known[reader] ?? reader }
            guard event.carriesPersonalData, let holder = event.keyHolder else { return event }
            guard let key = holderKeys[holder] ?? nil else {
                return event.mappingPersonalData { _, _ in PersonalField.erased }
            }
            let cipher = SubjectCipher(key: key, subject: holder)
            return try event.mappingPersonalData { field, value in try cipher.seal(value, field: field) }
        }
    }

    /// The event as read models fold it: personal fields decrypted, or
    /// ``PersonalField/erased`` when the key was destroyed (or the sealed bytes were
    /// damaged); credentials stay as stored.
    public func open(_ event: DomainEvent) throws -> DomainEvent {
        try open(event, credentials: { _, value in value })
    }

    /// The event as people see it (`replay`, exports, the API's log): personal fields
    /// decrypted, credentials ``PersonalField/redacted``, and pseudonyms shown as the
    /// reader ids they stand for while those are not erased.
    public func openForDisplay(_ event: DomainEvent) throws -> DomainEvent {
        let event = try open(event, credentials: { _, _ in PersonalField.redacted })
        var namesPseudonyms = false
        _ = event.mappingReaderIDs { reader in
            if ReaderPseudonym.isValid(reader.rawValue) { namesPseudonyms = true }
            return reader
        }
        guard namesPseudonyms else { return event }
        return try environment.read { txn in
            try event.mappingReaderIDs { reader in
                guard ReaderPseudonym.isValid(reader.rawValue) else { return reader }
                return try Self.lookUp(reader.rawValue, txn, readers) ?? reader
            }
        }
    }

    /// ``openForDisplay(_:)`` for one pass over the log (`replay`, an export): which reader
    /// each pseudonym stands for is looked up once for the pass, not once per event (most
    /// of a log is engagement). An erasure during the pass may not show in it.
    public func displayOpener() -> (DomainEvent) throws -> DomainEvent {
        let reveal = readerRevealer()
        return { [self] event in
            let event = try open(event, credentials: { _, _ in PersonalField.redacted })
            return try event.mappingReaderIDs(reveal)
        }
    }

    /// The reader ids ``displayOpener()`` shows: a pseudonym as the reader it stands for,
    /// any other id as it is. Ids met again are answered from memory, up to `limit` of
    /// them: a pass over a log of more readers starts over when it is full, so that its
    /// memory stays bounded however many readers the log has.
    public func readerRevealer(remembering limit: Int = 65_536) -> (ReaderID) throws -> ReaderID {
        var revealed: [ReaderID: ReaderID] = [:]
        return { [self] reader in
            if let known = revealed[reader] { return known }
            let found = ReaderPseudonym.isValid(reader.rawValue)
                ? try environment.read { txn in try Self.lookUp(reader.rawValue, txn, readers) } ?? reader
                : reader
            if revealed.count >= limit { revealed.removeAll(keepingCapacity: true) }
            revealed[reader] = found
            return found
        }
    }

    /// A credential of `holder` (a `usr_…` or `chn_…` id) as stored in a read model,
    /// decrypted; `nil` when its key is gone. A value stored in clear (a log written before
    /// credentials were sealed) is returned as it is.
    public func openCredential(_ value: String, field: PersonalField, holder: String) throws -> String? {
        guard value.hasPrefix(Self.prefix) else { return value }
        guard let key = try environment.read({ txn in try Self.key(of: holder, txn, keys) }) else { return nil }
        return derivedCipher(key: key, subject: holder).open(value, field: field)
    }

    private func open(_ event: DomainEvent, credentials: (PersonalField, String) -> String) throws -> DomainEvent {
        guard event.carriesPersonalData, let holder = event.keyHolder else { return event }
        let key = try environment.read { txn in try Self.key(of: holder, txn, keys) }
        let cipher = key.map { derivedCipher(key: $0, subject: holder) }
        return event.mappingPersonalData { field, value in
            if field.isCredential { return credentials(field, value) }
            guard value.hasPrefix(Self.prefix) else { return value }
            return cipher?.open(value, field: field) ?? PersonalField.erased
        }
    }

    // MARK: Reader pseudonyms

    /// The pseudonym that stands for `reader` in the log, `nil` if none does (never seen,
    /// or erased). A surrogate id stands for itself.
    public func pseudonym(of reader: ReaderID) throws -> ReaderID? {
        if reader.isSurrogate { return reader }
        return try environment.read { txn in try Self.lookUp(reader.rawValue, txn, pseudonyms) }
    }

    /// The reader id a pseudonym stands for, `nil` once erased (or for any other id).
    public func reader(of pseudonym: ReaderID) throws -> ReaderID? {
        guard ReaderPseudonym.isValid(pseudonym.rawValue) else { return nil }
        return try environment.read { txn in try Self.lookUp(pseudonym.rawValue, txn, readers) }
    }

    private static func lookUp(_ id: String, _ txn: LMDBTransaction, _ table: LMDBDatabase) throws -> ReaderID? {
        try Array(id.utf8).withUnsafeBytes { name in
            guard let stored = try txn.get(table, key: name) else { return nil }
            return ReaderID(rawValue: String(decoding: stored, as: UTF8.self))
        }
    }

    private func createPseudonym(for reader: ReaderID, _ txn: LMDBTransaction) throws -> ReaderID {
        let fresh = ReaderPseudonym.generate().rawValue
        return try Array(reader.rawValue.utf8).withUnsafeBytes { name in
            try Array(fresh.utf8).withUnsafeBytes { pseudonym in
                // Another process may have made one first: then that one stands for the reader.
                if let existing = try txn.insert(pseudonyms, key: name, value: pseudonym) {
                    return ReaderID(rawValue: String(decoding: existing, as: UTF8.self)) ?? reader
                }
                try txn.put(readers, key: pseudonym, value: name)
                return ReaderID(rawValue: fresh)!
            }
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

    /// Destroys the subject's key (and, for a pseudonym, which reader it stands for) and
    /// remembers that it was erased, so that no key is ever made for it again. The bytes
    /// leave the file at the next compaction. Returns `false` when the subject was already
    /// erased.
    @discardableResult
    public func destroyKey(of subject: String, at time: Instant) throws -> Bool {
        let destroyed = try environment.write { txn in
            if try Self.erasedAt(subject, txn, erasures) != nil { return false }
            try Array(subject.utf8).withUnsafeBytes { name in
                _ = try txn.delete(keys, key: name)
                if let reader = try txn.get(readers, key: name) {
                    let readerName = Array(reader)
                    try txn.delete(readers, key: name)
                    try readerName.withUnsafeBytes { _ = try txn.delete(pseudonyms, key: $0) }
                }
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

    /// A `SubjectErased` in the log means its subject's key is gone, and a
    /// `ChannelDisconnected` its channel's (with the secret), a `WebhookUnsubscribed` its
    /// subscription's, however the event got there
    /// (an erasure, `record`, `import`, `append`): call this once they are appended.
    public func destroyKeys(erasedIn events: [DomainEvent], at time: Instant) throws {
        for event in events {
            switch event {
            case .subjectErased(let erased): try destroyKey(of: erased.subjectId, at: time)
            case .channelDisconnected(let disconnected): try destroyKey(of: disconnected.channelId.rawValue, at: time)
            case .webhookUnsubscribed(let unsubscribed): try destroyKey(of: unsubscribed.subscriptionId.rawValue, at: time)
            default: continue
            }
        }
    }

    /// The same for events already encoded for the log (the CLI's `import` and `append`).
    public func destroyKeys(erasedIn events: [NewEvent], at time: Instant) throws {
        let destroying: Set<String> = [SubjectErased.eventType, ChannelDisconnected.eventType, WebhookUnsubscribed.eventType]
        let erasures = events.filter { destroying.contains($0.type) }.compactMap { event in
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
        guard event.carriesPersonalData, let subject = event.keyHolder else { return nil }
        let status = try status(of: subject)
        var problem: String?
        _ = event.mappingPersonalData { field, value in
            guard problem == nil else { return value }
            if value == PersonalField.erased { return value }
            // Logs written before credentials were sealed hold them in clear; nothing can
            // rewrite an append-only log's records, so that is no damage to report.
            if field.isCredential, !value.hasPrefix(Self.prefix) { return value }
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
