import ArgumentParser
import EventLog
import SmartContent
import SmartContentDomain
import Foundation

struct AppendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "append",
        abstract: "Append one event of the catalog, its JSON payload read from stdin.",
        discussion: """
            The payload is checked against the event catalog (an unknown type or a field that does \
            not fit is refused, with the reason) and must \
            belong to the stream (a ContentCreated for cnt_1 goes to content-cnt_1). Prints \
            the appended event's position, stream version and id as JSON.

            Examples:
              echo '{"contentId":"cnt_1","kind":"view","occurredAt":"2026-02-15T10:30:00Z"}' | \\
                smartcontent append --stream engagement-cnt_1 --type EngagementRecorded
              echo '{"subjectId":"usr_1","erasedBy":"usr_admin"}' | smartcontent append \\
                --stream subject-usr_1 --type SubjectErased --actor usr_admin \\
                --id 0b6f3c52-3f7e-4ad1-9a55-0d3f1c2b9e10
            Appending the same --id again appends nothing and prints the original position.
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var durability: DurabilityOptions

    @Option(help: "The stream to append to, e.g. content-cnt_1.")
    var stream: String

    @Option(help: "The event type, e.g. ContentCreated.")
    var type: String

    @Option(help: ArgumentHelp("Fail (exit 3) unless the stream is at this version: any, noStream, streamExists or a number.",
                               valueName: "version"))
    var expectedVersion: String = "any"

    @Option(help: "The event id (a UUID); generated when absent. Re-appending an id is idempotent.")
    var id: String?

    @Option(help: "The schema version of the payload.")
    var schemaVersion: UInt16 = 1

    @Option(help: "Who caused the event (stored in the metadata as actor).")
    var actor: String?

    @Option(help: "Metadata as a JSON object of strings, e.g. '{\"workspaceId\":\"wsp_1\"}'.")
    var metadata: String?

    func validate() throws {
        guard ExpectedVersion(expectedVersion) != nil else {
            throw ValidationError("--expected-version must be any, noStream, streamExists or a number, not '\(expectedVersion)'")
        }
        if let id, EventID(id) == nil { throw ValidationError("--id must be a UUID, not '\(id)'") }
        do { _ = try StreamName(stream) } catch { throw ValidationError("--stream: \(error)") }
        guard schemaVersion >= 1 else { throw ValidationError("--schema-version must be at least 1") }
    }

    func run() async throws {
        let input = FileHandle.standardInput.readDataToEndOfFile()
        let data: JSONValue
        do {
            data = try JSONValue(parsing: input)
        } catch {
            throw CommandFailure(.invalidInput, "the payload on stdin: \(error)")
        }
        guard case .object = data else { throw CommandFailure(.invalidInput, "the payload on stdin must be a JSON object") }
        var line: [(key: String, value: JSONValue)] = [
            ("stream", .string(stream)), ("type", .string(type)), ("schemaVersion", .number(String(schemaVersion))),
            ("data", data),
        ]
        var metadataEntries: [(key: String, value: JSONValue)] = []
        if let metadata {
            guard case .object(let entries)? = try? JSONValue(parsing: metadata) else {
                throw CommandFailure(.usage, "--metadata must be a JSON object")
            }
            metadataEntries = entries
        }
        if let actor { metadataEntries.append(("actor", .string(actor))) }
        line.append(("metadata", .object(metadataEntries)))
        if let id { line.append(("id", .string(id))) }
        var text: [UInt8] = []
        JSONValue.object(line).write(to: &text)
        var parsed: WireFormat.Line
        do {
            parsed = try WireFormat.parseLine(text)
            _ = try EventCatalog.newEvent(from: parsed)
        } catch {
            throw CommandFailure(.invalidInput, "\(error)")
        }
        let log = try store.openLog(create: true, durability: durability.resolved)
        let result: AppendResult
        do {
            let vault = try store.openVault(beside: log)
            defer { vault.close() }
            parsed.event = try EventCatalog.newEvent(from: parsed) { try vault.seal([$0])[0] }
            result = try await log.append([parsed.event], to: parsed.stream,
                                          expectedVersion: ExpectedVersion(expectedVersion)!)
            try vault.destroyKeys(erasedIn: [parsed.event], at: .now)
        } catch {
            await log.close()
            throw error
        }
        await log.close()
        var out: [UInt8] = []
        out.append(contentsOf: #"{"position":"#.utf8)
        out.append(contentsOf: String(result.lastPosition).utf8)
        out.append(contentsOf: #","stream":"#.utf8)
        WireFormat.appendString(result.stream.rawValue, to: &out)
        out.append(contentsOf: #","version":\#(result.nextExpectedVersion),"id":"\#(parsed.event.id)","alreadyPresent":\#(result.alreadyPresent)}"#.utf8)
        out.append(UInt8(ascii: "\n"))
        let stdout = FileOutput(descriptor: 1)
        stdout.write { $0.append(contentsOf: out) }
        stdout.flush()
    }
}
