import EventLog
import CEventLogSupport
import Foundation
import SmartContentDomain

/// What a backup holds: the log position it was taken at and a checksum of every file.
public struct BackupManifest: Codable, Sendable, Hashable {
    public struct File: Codable, Sendable, Hashable {
        /// Relative to the backup directory, e.g. `log/data.mdb`.
        public var path: String
        public var bytes: Int
        /// CRC-32C of the file, in hex.
        public var crc32c: String
    }

    public var format = 1
    public var createdAt: String
    /// Every event up to this position is in the backup.
    public var lastPosition: UInt64
    public var files: [File]

    public static let fileName = "manifest.json"
}

public enum BackupError: Error, CustomStringConvertible, Sendable {
    case notEmpty(String)
    case missingManifest(String)
    case corrupt(String)
    /// The backup and the data directory overlap: replacing one would destroy the other.
    case overlapping(backup: String, store: String)
    /// `--force` replaces a SmartContent store, never a directory holding something else.
    case notAStore(String)
    /// The store being backed up fails `verify`: a copy of it would not restore.
    case damagedSource(String)

    public var description: String {
        switch self {
        case .notEmpty(let path): "\(path) is not empty"
        case .overlapping(let backup, let store):
            "the backup \(backup) and the data directory \(store) overlap; keep backups outside the data directory"
        case .notAStore(let path): "\(path) is not empty and holds no SmartContent store; refusing to delete its contents"
        case .damagedSource(let reason): "the store fails verify, so the backup was not kept: \(reason)"
        case .missingManifest(let path): "\(path) holds no \(BackupManifest.fileName): not a SmartContent backup"
        case .corrupt(let reason): "the backup is damaged: \(reason)"
        }
    }
}

extension SmartContentEngine {
    /// The files beside the stores that a backup holds: the server's token key. Without
    /// it, tokens signed before a restore would stop verifying for no reason a user could see.
    public static let companionFiles = ["jwt-secret"]

    /// Takes a hot, consistent, compacted copy of every environment into `directory` while
    /// writers go on, with a manifest of checksums. Projections are copied first, then the
    /// log, so no projection in the backup is ahead of its log; then the keys, so every
    /// key the copied log was sealed with is there (unless it was destroyed meanwhile);
    /// then the sessions, so users stay logged in after a restore.
    ///
    /// - Parameter progress: told of each environment copied (done, total, name).
    public func backup(
        to directory: String, progress: @escaping @Sendable (_ done: Int, _ total: Int, _ name: String) -> Void = { _, _, _ in }
    ) async throws -> BackupManifest {
        if let contents = try? FileManager.default.contentsOfDirectory(atPath: directory), !contents.isEmpty {
            throw BackupError.notEmpty(directory)
        }
        try await log.offload {
            let names = self.projections.names
            let total = names.count + 3
            for (index, name) in names.enumerated() {
                try self.projections.store(named: name).backup(to: directory + "/projections/" + name)
                progress(index + 1, total, "projections/" + name)
            }
            try self.log.backup(to: directory + "/log")
            progress(total - 2, total, "log")
            try self.vault.backup(to: directory + "/keys")
            progress(total - 1, total, "keys")
            try self.sessions.backup(to: directory + "/sessions")
            progress(total, total, "sessions")
            try self.backupCompanionFiles(to: directory)
        }
        // The position the copy holds, read from the copy itself, which must verify: a
        // backup of a damaged store would only fail at restore, when it is too late.
        var options = EventLog.Options()
        options.readOnly = true
        let copy = try EventLog(directory: directory + "/log", options: options)
        let lastPosition: UInt64
        let report: VerificationReport
        do {
            lastPosition = try copy.lastPosition()
            report = try copy.verify()
        } catch {
            await copy.close()
            throw error
        }
        await copy.close()
        guard report.isHealthy else {
            for entry in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] {
                try? FileManager.default.removeItem(atPath: directory + "/" + entry)
            }
            throw BackupError.damagedSource(report.problems.first ?? "")
        }
        let manifest = BackupManifest(createdAt: Instant.now.iso8601, lastPosition: lastPosition,
                                      files: try Self.checksums(in: directory))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try encoder.encode(manifest).write(to: URL(fileURLWithPath: directory + "/" + BackupManifest.fileName))
        return manifest
    }

    private func backupCompanionFiles(to directory: String) throws {
        let fileManager = FileManager.default
        for name in Self.companionFiles where fileManager.fileExists(atPath: self.directory + "/" + name) {
            try fileManager.copyItem(atPath: self.directory + "/" + name, toPath: directory + "/" + name)
            chmod(directory + "/" + name, 0o600)
        }
    }

    /// Checks a backup against its manifest: every file present, of its size and checksum.
    public static func checkBackup(at directory: String) throws -> BackupManifest {
        let path = directory + "/" + BackupManifest.fileName
        guard let data = FileManager.default.contents(atPath: path) else { throw BackupError.missingManifest(directory) }
        let manifest: BackupManifest
        do { manifest = try JSONDecoder().decode(BackupManifest.self, from: data) } catch {
            throw BackupError.corrupt("the manifest does not parse: \(error)")
        }
        let actual = Dictionary(uniqueKeysWithValues: try checksums(in: directory).map { ($0.path, $0) })
        for file in manifest.files {
            guard let found = actual[file.path] else { throw BackupError.corrupt("\(file.path) is missing") }
            guard found.bytes == file.bytes, found.crc32c == file.crc32c else {
                throw BackupError.corrupt("\(file.path) does not match its checksum")
            }
        }
        guard manifest.files.contains(where: { $0.path == "log/data.mdb" }) else { throw BackupError.corrupt("it holds no log") }
        return manifest
    }

    /// Copies a checked backup into `directory`, which must be empty, or hold a
    /// SmartContent store when `replacing` (its files are then replaced). The copy is made
    /// in `directory/.restoring` first and moved in place by rename(2) only once complete,
    /// so a failed copy leaves the old store as it was. Projections missing from the
    /// backup are folded on next open. `progress` is told of each file copied.
    public static func restore(
        from backup: String, into directory: String, replacing: Bool = false,
        progress: (_ done: Int, _ total: Int, _ path: String) -> Void = { _, _, _ in }
    ) throws -> BackupManifest {
        let manifest = try checkBackup(at: backup)
        let fileManager = FileManager.default
        let source = canonical(backup), target = canonical(directory)
        if source == target || source.hasPrefix(target + "/") || target.hasPrefix(source + "/") {
            throw BackupError.overlapping(backup: backup, store: directory)
        }
        let existing = ((try? fileManager.contentsOfDirectory(atPath: directory)) ?? []).filter { $0 != "smartcontent.lock" }
        if !existing.isEmpty {
            guard replacing else { throw BackupError.notEmpty(directory) }
            guard fileManager.fileExists(atPath: directory + "/log/data.mdb") else { throw BackupError.notAStore(directory) }
        }
        let staging = directory + "/.restoring"
        try? fileManager.removeItem(atPath: staging)
        try fileManager.createDirectory(atPath: staging, withIntermediateDirectories: true)
        for (index, file) in manifest.files.enumerated() {
            let target = staging + "/" + file.path
            try fileManager.createDirectory(atPath: (target as NSString).deletingLastPathComponent,
                                            withIntermediateDirectories: true)
            try fileManager.copyItem(atPath: backup + "/" + file.path, toPath: target)
            // As private as the store it becomes: keys and personal data live in these files.
            chmod(target, 0o600)
            chmod((target as NSString).deletingLastPathComponent, 0o700)
            progress(index + 1, manifest.files.count, file.path)
        }
        for entry in existing where entry != ".restoring" {
            try fileManager.removeItem(atPath: directory + "/" + entry)
        }
        for entry in try fileManager.contentsOfDirectory(atPath: staging) {
            try fileManager.moveItem(atPath: staging + "/" + entry, toPath: directory + "/" + entry)
        }
        try fileManager.removeItem(atPath: staging)
        return manifest
    }

    /// The absolute path with symbolic links resolved, as far as it exists.
    static func canonical(_ path: String) -> String {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        if let resolved = realpath(absolute, nil) {
            defer { free(resolved) }
            return String(cString: resolved)
        }
        let parent = (absolute as NSString).deletingLastPathComponent
        return parent == absolute ? absolute : canonical(parent) + "/" + (absolute as NSString).lastPathComponent
    }

    static func checksums(in directory: String) throws -> [BackupManifest.File] {
        let fileManager = FileManager.default
        guard let enumerator = fileManager.enumerator(atPath: directory) else { return [] }
        var files: [BackupManifest.File] = []
        while let relative = enumerator.nextObject() as? String {
            let isData = relative.hasSuffix(".mdb") && !relative.hasSuffix("lock.mdb")
            guard isData || companionFiles.contains(relative) else { continue }
            let path = directory + "/" + relative
            guard let handle = FileHandle(forReadingAtPath: path) else { continue }
            defer { try? handle.close() }
            var crc: UInt32 = 0
            var bytes = 0
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                crc = chunk.withUnsafeBytes { smartcontent_crc32c(crc, $0.baseAddress, $0.count) }
                bytes += chunk.count
            }
            files.append(.init(path: relative, bytes: bytes, crc32c: String(format: "%08x", crc)))
        }
        return files.sorted { $0.path < $1.path }
    }
}
