import Foundation
public import Hummingbird
import HummingbirdTLS
public import Logging
public import Prometheus
public import SmartContent
public import SmartContentDomain
import SmartContentProjections

/// The HTTP API over one engine: every route of DESIGN section 7 under `/v1`, plus the
/// operational routes.
public struct SmartContentAPI: Sendable {
    public struct Configuration: Sendable {
        public var host = "127.0.0.1"
        public var port = 8080
        /// Requests per hour and user, and per IP address (token buckets; 0: no limit).
        public var rateLimitPerUser = 1000
        public var rateLimitPerIP = 5000
        /// The HS256 key of access tokens; see ``JWTSecret``.
        public var jwtSecret: [UInt8] = []
        /// The time tokens are issued and checked at (tests pin it); the system clock when nil.
        public var clock: (@Sendable () -> Instant)?
        /// HTTPS with this certificate and key, and HSTS on every response; plain HTTP when
        /// nil (behind a TLS proxy, or on loopback).
        public var tls: TLSCredentials?
        /// Fire due schedules (``SchedulerService``) while serving.
        public var runsScheduler = true
        /// Overdue occurrences older than this are recorded as missed (`SMARTCONTENT_SCHEDULE_GRACE`).
        public var scheduleGrace: Duration = ScheduleGrace.default
        /// How often the scheduler looks for schedules that another server added.
        public var schedulerInterval: Duration = .seconds(1)
        /// Deliver distribution jobs (``Distributor``) while serving.
        public var runsDistributor = true
        /// Deliver integrators' webhooks (``WebhookDispatcher``) while serving, by the same policy.
        public var runsWebhooks = true
        /// Attempts, backoff, timeout and concurrency of deliveries (`SMARTCONTENT_DISTRIBUTION_*`).
        public var deliveryPolicy = DeliveryPolicy()

        public init() {}
    }

    public let engine: SmartContentEngine
    public let tokens: TokenService
    public let metrics: PrometheusCollectorRegistry
    let configuration: Configuration
    let userLimiter: RateLimiter
    let ipLimiter: RateLimiter
    let sessionPositions = SessionPositions()
    /// Set once the projections have caught up with the log as it was at start.
    let readiness = Readiness()

    public init(engine: SmartContentEngine, configuration: Configuration,
                metrics: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) throws {
        self.engine = engine
        self.configuration = configuration
        self.metrics = metrics
        let secret = configuration.jwtSecret.isEmpty ? try JWTSecret.load(dataDirectory: engine.directory) : configuration.jwtSecret
        if let clock = configuration.clock {
            tokens = TokenService(sessions: engine.sessions, secret: secret, clock: clock)
        } else {
            tokens = TokenService(sessions: engine.sessions, secret: secret)
        }
        userLimiter = RateLimiter(perHour: configuration.rateLimitPerUser)
        ipLimiter = RateLimiter(perHour: configuration.rateLimitPerIP)
    }

    /// The router with every route and middleware.
    public func router() -> Router<APIContext> { build().router }

    /// Every route the router serves, as `METHOD /path/{param}` (what `/openapi.yaml` must describe).
    public var routes: [String] { build().registry.all }

    private func build() -> (router: Router<APIContext>, registry: RouteRegistry) {
        let router = Router(context: APIContext.self, options: .autoGenerateHeadEndpoints)
        // Outermost, so that the responses every other middleware makes carry it too.
        if configuration.tls != nil { router.add(middleware: StrictTransportSecurityMiddleware()) }
        router.add(middleware: RequestIDMiddleware())
        // Every request, with its id, method, path and status, at LOG_LEVEL=debug.
        router.add(middleware: LogRequestsMiddleware(.debug))
        router.add(middleware: HTTPMetricsMiddleware(registry: metrics))
        router.add(middleware: ErrorEnvelopeMiddleware())
        let registry = RouteRegistry()
        router.add(middleware: MethodNotAllowedMiddleware(registry: registry))
        router.add(middleware: IPRateLimitMiddleware(limiter: ipLimiter))
        let root = router.group()
        addOperationalRoutes(to: root)
        let v1 = root.group("v1")
        addAuthRoutes(to: v1)
        let authenticated = v1.add(middleware: AuthMiddleware(engine: engine, tokens: tokens, limiter: userLimiter, positions: sessionPositions))
        addUserRoutes(to: authenticated)
        addContentRoutes(to: authenticated)
        addAnalyticsRoutes(to: authenticated)
        addScheduleRoutes(to: authenticated)
        addAudienceRoutes(to: authenticated)
        addDistributionRoutes(to: authenticated)
        addWebhookRoutes(to: authenticated)
        addLogRoutes(to: authenticated)
        registry.record(router.routes)
        return (router, registry)
    }

    /// The application: the server, plus the projection runner, the scheduler, the
    /// distributor and the webhook dispatcher as services of the same group, so SIGTERM
    /// drains in-flight requests first, then stops the others, and closes the engine last.
    ///
    /// - Throws: nothing today: Hummingbird declares `HTTPServerBuilder.tls` throwing, but
    ///   makes the TLS context only when the server starts (a bad configuration fails the
    ///   service then; credentials loaded from files were checked when loaded).
    public func application(logger: Logger = Logger(label: "smartcontent")) throws -> some ApplicationProtocol {
        let tls = configuration.tls != nil
        // Read now, so that a binary shipped without its resources says so before the first request.
        if case .failure(let missing) = OpenAPIDocument.bundled {
            logger.warning("/openapi.yaml will answer 503: \(missing)")
        }
        return Application(
            router: router(),
            server: try configuration.tls.map { try .tls(.http1(), tlsConfiguration: $0.configuration) } ?? .http1(),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "smartcontent"),
            services: [EngineService(api: self, logger: logger)]
                + (configuration.runsScheduler
                    ? [SchedulerService(api: self, grace: configuration.scheduleGrace,
                                        interval: configuration.schedulerInterval, logger: logger)] : [])
                + (configuration.runsDistributor
                    ? [DeliveryService(api: self) { [engine, policy = configuration.deliveryPolicy] in
                        await Distributor(engine: engine, policy: policy) { logger.warning("\($0)") }.run()
                    }] : [])
                + (configuration.runsWebhooks
                    ? [DeliveryService(api: self) { [engine, policy = configuration.deliveryPolicy] in
                        await WebhookDispatcher(engine: engine, policy: policy) { logger.warning("\($0)") }.run()
                    }] : []),
            onServerRunning: { channel in
                // The port actually bound (the configured one may be 0): tests and scripts read it here.
                logger.info("listening", metadata: ["address": .string("\(channel.localAddress?.ipAddress ?? "?"):\(channel.localAddress?.port ?? 0)"),
                                                    "tls": .stringConvertible(tls)])
            },
            logger: logger)
    }
}
