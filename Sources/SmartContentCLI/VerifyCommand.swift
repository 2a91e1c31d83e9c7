import ArgumentParser
import EventLog
import Foundation
import SmartContent
import SmartContentDomain
import SmartContentProjections

struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check every record and index of the store; exit 0 only when all is well.",
        discussion: """
            Checks each record's checksum and layout, that positions have no gap, that each \
            stream's versions are dense and its links right, that the id, stream and \
            stream-index tables agree with the records, that no projection's checkpoint \
            is beyond the end of the log, that the key store (DATA/keys) is present \
            and opens every sealed personal field, and that every session of the server \
            (DATA/sessions) reads. Safe while another process writes.

            Prints a JSON report; exits 1 (and says what is wrong on stderr) when a check fails.

            Example:
              smartcontent verify --data /var/lib/smartcontent && echo healthy
            """
    )

    @OptionGroup var store: StoreOptions

    func run() async throws {
        let log = try store.openLog(create: false, readOnly: true)
        var progress = Progress()
        let total = try log.lastPosition()
        var report = try log.verify { progress.update("verified", done: $0, total: total) }
        progress.finish()
        // Read models folded from events the log does not hold cannot be trusted. Beside a
        // server the log grows (and is folded) while this runs: each checkpoint is compared
        // with the log's end read after it, which a checkpoint can never pass.
        let projections = store.directory + "/projections"
        for type in SmartContentEngine.projectionTypes {
            let directory = projections + "/" + type.name
            guard FileManager.default.fileExists(atPath: directory + "/data.mdb") else { continue }
            let projection = try ProjectionStore(name: type.name, tables: type.tables, directory: directory)
            let checkpoint = try projection.checkpoint()
            projection.close()
            let head = try log.lastPosition()
            if checkpoint > head {
                report.problemCount += 1
                report.problems.append("projection \(type.name) is at checkpoint \(checkpoint), beyond the log's last "
                    + "position \(head): run smartcontent rebuild")
            }
        }
        do {
            if let vault = try store.existingVault(beside: log) {
                defer { vault.close() }
                try Self.checkKeys(vault, log: log, into: &report)
            }
        } catch let missing as PersonalDataVault.Failure {
            report.problemCount += 1
            report.problems.append("keys: \(missing)")
        }
        for problem in Self.companionProblems(in: store.directory) {
            report.problemCount += 1
            report.problems.append(problem)
        }
        await log.close()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let stdout = FileOutput(descriptor: 1)
        stdout.write(String(decoding: try encoder.encode(report), as: UTF8.self) + "\n")
        stdout.flush()
        if !report.isHealthy {
            throw CommandFailure(.checkFailed, "verify found \(report.problemCount) problem(s); first: \(report.problems[0])")
        }
    }

    /// The sessions store must open and every session in it decode, the token key be a
    /// private file of at least 32 bytes. Either may be absent: a store no engine opened
    /// (only `import` wrote it) has no sessions, one no server served no token key.
    static func companionProblems(in directory: String) -> [String] {
        var problems: [String] = []
        let sessions = directory + "/sessions"
        if FileManager.default.fileExists(atPath: sessions + "/data.mdb") {
            do {
                let store = try SessionStore(directory: sessions)
                defer { store.close() }
                problems += try store.verify()
            } catch SessionStore.Failure.unreadable(_, let reason) {
                problems.append("sessions: the store does not read: \(reason)")
            } catch {
                problems.append("sessions: the store does not read: \(error)")
            }
        }
        let secret = directory + "/jwt-secret"
        if let attributes = try? FileManager.default.attributesOfItem(atPath: secret) {
            let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
            let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue ?? 0
            if size < 32 { problems.append("jwt-secret: \(size) bytes, fewer than 32; tokens signed with it are weak") }
            if mode & 0o077 != 0 {
                problems.append("jwt-secret: mode \(String(mode, radix: 8)), readable by others; chmod 600 it")
            }
        }
        return problems
    }

    /// The key store, and every sealed field against it: personal data must be sealed
    /// under a key that exists, or was destroyed on purpose. A damaged log is reported
    /// already; its records are not read again.
    static func checkKeys(_ vault: PersonalDataVault, log: EventLog, into report: inout VerificationReport) throws {
        for problem in try vault.verify() {
            report.problemCount += 1
            report.problems.append(problem)
        }
        guard report.isHealthy else { return }
        // One pass over the events that carry personal data and the erasures: an erasure
        // the key store does not know of (one restored from before it) would let the
        // subject's data be read again.
        let relevant = EventFilter(types: DomainEvent.personalDataTypes.union([SubjectErased.eventType]))
        var problems: [String] = []
        try log.withSnapshot { snapshot in
            try snapshot.forEach(from: 1, filter: relevant) { view in
                guard let event = try? EventCatalog.decode(view) else { return true }
                if case .subjectErased(let erased) = event {
                    if try vault.status(of: erased.subjectId) == .active {
                        problems.append("keys: \(erased.subjectId) was erased at position \(view.position) but has a key "
                            + "again (a key store from before the erasure?): run smartcontent gdpr erase --subject "
                            + erased.subjectId)
                    }
                } else if let problem = try vault.problem(with: event) {
                    problems.append("position \(view.position): \(problem)")
                }
                return true
            }
        }
        report.problemCount += problems.count
        report.problems += problems.prefix(100)
    }
}
