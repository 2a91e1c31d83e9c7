import ArgumentParser
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import SmartContent
import SmartContentDomain
import SmartContentServer

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the HTTP API over the store, with the projections folding live.",
        discussion: """
            Opens (creating) the store and answers every route of the API under /v1, plus \
            /healthz, /readyz (200 once the projections have caught up), /metrics \
            (Prometheus) and /openapi.yaml. SIGTERM or SIGINT stops accepting connections, \
            lets requests in flight finish (for at most 25 seconds, then they are cut), \
            then closes the store: every acknowledged write is on disk.

            The scheduler fires due schedules, exactly once each, even with several servers \
            on one store. After a downtime, overdue ones fire at once, oldest first, unless \
            older than $SMARTCONTENT_SCHEDULE_GRACE (90m, 24h, 2d; default 24h): those are \
            recorded as missed.

            The distributor delivers publication jobs to their channels as signed webhooks \
            (Standard Webhooks), retrying connection errors, timeouts, 408, 429 and 5xx with \
            exponential backoff and jitter, and dead-letters a delivery after \
            $SMARTCONTENT_DISTRIBUTION_MAX_ATTEMPTS attempts (default 5). The first retry \
            waits about $SMARTCONTENT_DISTRIBUTION_BACKOFF_MS (default 1000); an attempt times \
            out after $SMARTCONTENT_DISTRIBUTION_TIMEOUT_MS (default 10000); at most \
            $SMARTCONTENT_DISTRIBUTION_CONCURRENCY attempts (default 8) go to one channel at \
            once; a channel whose deliveries all failed for $SMARTCONTENT_CHANNEL_PAUSE_AFTER \
            (default 24h) is paused until resumed.

            Content is generated offline unless $SMARTCONTENT_GENERATOR_URL names an \
            OpenAI-compatible chat-completions API (its base, with /v1): then \
            $SMARTCONTENT_GENERATOR_MODEL is required, $SMARTCONTENT_GENERATOR_API_KEY is sent \
            as a bearer token when set, and $SMARTCONTENT_GENERATOR_TIMEOUT_MS (30000), \
            _MAX_ATTEMPTS (3) and _BACKOFF_MS (500) tune each request. A provider that is \
            down or answers garbage makes generate and refine answer 503.

            Access tokens are signed with $SMARTCONTENT_JWT_SECRET, or with a key generated \
            once and kept in DATA/jwt-secret (mode 0600).

            With --tls-cert and --tls-key it serves HTTPS (TLS 1.2 or later) and tells \
            browsers to stay on it (Strict-Transport-Security). Without them it serves \
            plain HTTP, and warns at start-up when it listens beyond loopback: tokens and \
            passwords would cross the network unencrypted.

            Examples:
              smartcontent serve
              smartcontent serve --data /var/lib/smartcontent --host 0.0.0.0 --port 8443 \\
                --tls-cert /etc/smartcontent/cert.pem --tls-key /etc/smartcontent/key.pem
              curl -s localhost:8080/healthz
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var durability: DurabilityOptions

    @Option(help: ArgumentHelp("The address to listen on (default: $SMARTCONTENT_HOST, else 127.0.0.1).", valueName: "host"))
    var host: String?

    @Option(help: ArgumentHelp("The port (default: $SMARTCONTENT_PORT, else 8080; 0 picks a free one).", valueName: "port"))
    var port: Int?

    @Option(help: ArgumentHelp("Requests per hour and user, 0 for no limit (default: $SMARTCONTENT_RATE_LIMIT_USER, else 1000).",
                               valueName: "n"))
    var rateLimitUser: Int?

    @Option(help: ArgumentHelp("Requests per hour and IP address, 0 for no limit (default: $SMARTCONTENT_RATE_LIMIT_IP, else 5000).",
                               valueName: "n"))
    var rateLimitIp: Int?

    @Option(help: ArgumentHelp("The certificate chain, PEM, to serve HTTPS with; needs --tls-key (default: $SMARTCONTENT_TLS_CERT, else plain HTTP).",
                               valueName: "file"))
    var tlsCert: String?

    @Option(help: ArgumentHelp("The certificate's private key, PEM, unencrypted (default: $SMARTCONTENT_TLS_KEY).", valueName: "file"))
    var tlsKey: String?

    func validate() throws {
        try validateTLS()
        if resolvedGrace == nil {
            throw ValidationError("SMARTCONTENT_SCHEDULE_GRACE must be a duration such as 90m, 24h or 2d")
        }
        _ = try resolvedDeliveryPolicy()
        do { _ = try resolvedGenerator } catch { throw ValidationError(error.description) }
        if let port = resolvedPort, !(0...65535).contains(port) { throw ValidationError("--port must be from 0 to 65535") }
        for (name, value) in [("--rate-limit-user", resolvedUserLimit), ("--rate-limit-ip", resolvedIPLimit)] where value == nil || value! < 0 {
            throw ValidationError("\(name) must be an integer ≥ 0")
        }
    }

    var resolvedGrace: Duration? {
        environment("SMARTCONTENT_SCHEDULE_GRACE").map(ScheduleGrace.parse) ?? ScheduleGrace.default
    }
    /// The provider `SMARTCONTENT_GENERATOR_*` configures, or nil for the offline generator.
    var resolvedGenerator: OpenAICompatibleGenerator.Configuration? {
        get throws(OpenAICompatibleGenerator.Configuration.EnvironmentError) {
            try OpenAICompatibleGenerator.Configuration(environment: ProcessInfo.processInfo.environment)
        }
    }
    var resolvedPort: Int? { port ?? environment("SMARTCONTENT_PORT").map { Int($0) ?? -1 } ?? 8080 }
    var resolvedUserLimit: Int? { rateLimitUser ?? environment("SMARTCONTENT_RATE_LIMIT_USER").map { Int($0) ?? -1 } ?? 1000 }
    var resolvedIPLimit: Int? { rateLimitIp ?? environment("SMARTCONTENT_RATE_LIMIT_IP").map { Int($0) ?? -1 } ?? 5000 }

    func run() async throws {
        let level = environment("LOG_LEVEL").flatMap(Logger.Level.init(rawValue:)) ?? .info
        LoggingSystem.bootstrap { label in StandardErrorLogHandler(label: label, logLevel: level) }
        let logger = Logger(label: "smartcontent")
        // Before the store: a certificate that cannot be used must not leave a store behind.
        let tls = try loadTLS()
        var configuration = SmartContentEngine.Configuration()
        configuration.runsProjections = false
        configuration.durability = durability.resolved
        if let provider = try resolvedGenerator {
            configuration.generator = OpenAICompatibleGenerator(configuration: provider)
            // The description names the endpoint without user info or query, and never the key.
            logger.info("generator", metadata: ["provider": .string(provider.description)])
        } else if let ignored = ["MODEL", "API_KEY"].first(where: { environment("SMARTCONTENT_GENERATOR_" + $0) != nil }) {
            logger.warning("SMARTCONTENT_GENERATOR_\(ignored) is set without SMARTCONTENT_GENERATOR_URL: generating offline")
        }
        let engine = try SmartContentEngine(directory: store.directory, configuration: configuration)
        var api = SmartContentAPI.Configuration()
        api.host = host ?? environment("SMARTCONTENT_HOST") ?? "127.0.0.1"
        api.port = resolvedPort ?? 8080
        api.rateLimitPerUser = resolvedUserLimit ?? 1000
        api.rateLimitPerIP = resolvedIPLimit ?? 5000
        api.tls = tls
        api.scheduleGrace = resolvedGrace ?? ScheduleGrace.default
        api.deliveryPolicy = try resolvedDeliveryPolicy()
        let server: SmartContentAPI
        do { server = try SmartContentAPI(engine: engine, configuration: api) } catch {
            await engine.close()
            throw error
        }
        logger.info("serving", metadata: ["data": .string(store.directory), "host": .string(api.host), "port": .stringConvertible(api.port)])
        warnIfUnencrypted(api, logger: logger)
        var group = ServiceGroupConfiguration(services: [try server.application(logger: logger)], logger: logger)
        group.gracefulShutdownSignals = [.sigterm, .sigint]
        // A client that never finishes its request must not keep the process alive past
        // an orchestrator's kill deadline: cancellation still closes the engine.
        group.maximumGracefulShutdownDuration = .seconds(25)
        group.maximumCancellationDuration = .seconds(15)
        try await ServiceGroup(configuration: group).run()
    }
}
