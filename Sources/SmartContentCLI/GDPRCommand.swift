import ArgumentParser
import EventLog
import SmartContent
import SmartContentDomain

struct GDPRCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gdpr",
        abstract: "Export or erase everything held about one data subject.",
        discussion: """
            Personal data (emails, names, free-text profile fields, IP addresses) is stored \
            sealed with AES-GCM under a key of its subject's own, kept in DATA/keys. Export \
            opens it; erasure destroys the key (crypto-shredding), so the sealed copies in \
            the log can never be read again, and purges the subject from every read model.

            A subject is a user id (usr_…) or any reader id seen in engagement.

            Backups and point-in-time copies made before an erasure still hold the \
            subject's key and read models: erase in every copy you keep, or let them expire.

            Examples:
              smartcontent gdpr export --subject usr_8f2c > usr_8f2c.json
              smartcontent gdpr erase --subject usr_8f2c --actor usr_dpo
            """,
        subcommands: [Export.self, Erase.self]
    )

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print everything held about a subject as one JSON document.",
            discussion: """
                The document holds the profile (decrypted), workspaces and roles, content \
                authored, interactions by content, audiences, the audit trail of what the \
                subject did, and every event of the log about them in the wire format. For \
                an erased subject it says {"status": "erased", "erasedAt": …} and nothing else.

                Exits 7 when the engine holds nothing about the subject.

                Examples:
                  smartcontent gdpr export --subject usr_8f2c --data /var/lib/smartcontent > usr_8f2c.json
                  smartcontent gdpr export --subject reader-1234
                """
        )

        @OptionGroup var store: StoreOptions
        @Option(help: ArgumentHelp("The subject: a usr_… id or a reader id.", valueName: "id"))
        var subject: String

        func validate() throws { try validateSubject(subject) }

        func run() async throws {
            let document = try await withEngine(store) { engine in try await engine.export(subject: subject).json() }
            let stdout = FileOutput(descriptor: 1)
            stdout.write(document + "\n")
            stdout.flush()
        }
    }

    struct Erase: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Erase a subject: record SubjectErased, destroy their key, purge and compact.",
            discussion: """
                Steps, each safe to run again if cut short:
                  1. append SubjectErased to the stream subject-<id>;
                  2. destroy the subject's key: their sealed data in the log is unreadable;
                  3. fold the projections, which purge the subject (daily totals and
                     popularity keep their values: they identify no one);
                  4. compact every environment, so no byte of the erased data remains in
                     any file of the data directory, free pages included.

                Compaction needs the store alone. While a server runs on it, steps 1–3
                take effect at once and step 4 is refused (exit 6): stop the server and run
                `smartcontent compact`, or pass --no-compact and compact later.

                Erasing an erased subject changes nothing and exits 0. Prints
                {"subjectId", "position", "erasedAt", "alreadyErased", "compacted"}.

                Examples:
                  smartcontent gdpr erase --subject usr_8f2c --actor usr_admin --data /var/lib/smartcontent
                  smartcontent gdpr erase --subject reader-1234 --no-compact
                """
        )

        @OptionGroup var store: StoreOptions
        @OptionGroup var durability: DurabilityOptions
        @Option(help: ArgumentHelp("The subject: a usr_… id or a reader id.", valueName: "id"))
        var subject: String

        func validate() throws { try validateSubject(subject) }
        @Option(help: ArgumentHelp("Who asks for the erasure, recorded in the event.", valueName: "id"))
        var actor: String = "system"
        @Flag(help: "Skip the compaction (run `smartcontent compact` later to remove the erased bytes from the files).")
        var noCompact = false

        func run() async throws {
            let erasure = try await withEngine(store, durability: durability.resolved) { engine in
                try await engine.erase(subject: subject, by: actor)
            }
            var compacted = false
            var refusal: String?
            if !noCompact {
                do {
                    _ = try await CompactCommand.compact(store)
                    compacted = true
                } catch let failure as CommandFailure where failure.code == .refused {
                    refusal = failure.message
                }
            }
            try printJSON(Output(subjectId: erasure.subjectId, position: erasure.position, erasedAt: erasure.erasedAt.iso8601,
                                 alreadyErased: erasure.wasAlreadyErased, compacted: compacted))
            if let refusal {
                throw CommandFailure(.refused, """
                    \(subject) is erased, but the files still hold its bytes in free pages: \(refusal); \
                    run `smartcontent compact` once the store is not in use
                    """)
            }
        }

        struct Output: Encodable {
            var subjectId: String
            var position: UInt64
            var erasedAt: String
            var alreadyErased: Bool
            var compacted: Bool
        }
    }
}

/// Opens the engine, folds the projections up to date, runs `body`, and closes the engine
/// (releasing its share of the store lock) before returning.
/// A subject is 1 to 128 characters without control characters (ids of users and readers).
private func validateSubject(_ subject: String) throws {
    guard (1...128).contains(subject.utf8.count), !subject.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
        throw ValidationError("--subject must be a usr_… id or a reader id of 1 to 128 characters")
    }
}
