import ArgumentParser
import Foundation
import SmartContent
import SmartContentDomain
import SmartContentProjections

struct DistributionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "distribution",
        abstract: "See and resend publication jobs.",
        discussion: """
            A job delivers one content to its channels; each delivery is attempted until it \
            is delivered, fails for good (a 4xx answer other than 408 and 429), or is \
            dead-lettered after $SMARTCONTENT_DISTRIBUTION_MAX_ATTEMPTS attempts. The server \
            (`smartcontent serve`) does the delivering; these commands work beside it.

            Examples:
              smartcontent distribution status job_8f2c
              smartcontent distribution retry job_8f2c
            """,
        subcommands: [Status.self, Retry.self]
    )

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a job and where each of its deliveries stands, as JSON.",
            discussion: "Exits 7 when there is no such job."
        )

        @OptionGroup var store: StoreOptions
        @OptionGroup var job: JobArgument

        func run() async throws {
            let id = try job.id
            let job = try await withEngine(store) { engine in
                try await engine.read(DistributionProjection.self) { try $0.job(id) }
            }
            guard let job else { throw CommandFailure(.notFound, "no job \(id)") }
            DistributionCommand.print(job)
        }
    }

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send a job's dead-lettered and failed deliveries again.",
            discussion: """
                Each delivery gets a fresh budget of attempts and keeps its webhook-id, so a \
                receiver that deduplicates takes it once. A running server picks them up \
                within a second. Prints the job as it stands after the request.

                Exits 7 when there is no such job, 4 when none of its deliveries gave up.
                """
        )

        @OptionGroup var store: StoreOptions
        @OptionGroup var job: JobArgument

        func run() async throws {
            let id = try job.id
            let job = try await withEngine(store) { engine in
                let retried = try await engine.retryDeliveries(of: id, by: nil)
                try await engine.catchUp()
                return try await engine.read(DistributionProjection.self, atLeast: retried.position) { try $0.job(id) }
            }
            guard let job else { throw CommandFailure(.notFound, "no job \(id)") }
            DistributionCommand.print(job)
        }
    }

    struct JobArgument: ParsableArguments {
        @Argument(help: ArgumentHelp("The job id (job_…).", valueName: "job-id"))
        var jobId: String

        func validate() throws { _ = try id }

        var id: JobID {
            get throws {
                guard let id = JobID(rawValue: jobId) else { throw ValidationError("\(jobId) is not a job id (job_…)") }
                return id
            }
        }
    }

    static func print(_ job: DistributionJob) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let stdout = FileOutput(descriptor: 1)
        stdout.write(String(decoding: (try? encoder.encode(job)) ?? Data(), as: UTF8.self) + "\n")
        stdout.flush()
    }
}
