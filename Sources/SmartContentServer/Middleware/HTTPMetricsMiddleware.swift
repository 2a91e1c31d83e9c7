public import Hummingbird
public import Prometheus
import Synchronization

/// Request counts and latency histograms by route (the pattern, not the path: ids would
/// make unbounded series), method and status.
public struct HTTPMetricsMiddleware: RouterMiddleware {
    public typealias Context = APIContext
    let registry: PrometheusCollectorRegistry
    /// The series by route, method and status, made once: the registry builds a name from
    /// the labels and takes its lock on every lookup.
    private let series = SeriesCache()
    static let buckets: [Duration] = [
        .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2.5), .milliseconds(5),
        .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
        .seconds(1), .seconds(2.5), .seconds(5),
    ]

    static var requests: MetricNameDescriptor { MetricNameDescriptor(metricName: "http_requests", unitName: "total",
                                               helpText: "HTTP requests by route, method and status") }
    static var duration: MetricNameDescriptor { MetricNameDescriptor(metricName: "http_request_duration", unitName: "seconds",
                                               helpText: "HTTP request latency by route, method and status") }

    public init(registry: PrometheusCollectorRegistry) { self.registry = registry }

    public func handle(_ request: Request, context: APIContext, next: (Request, APIContext) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        let key = SeriesKey(route: context.endpointPath ?? "unmatched", method: request.method.rawValue, status: response.status.code)
        let (requests, duration) = series.series(for: key) {
            let labels = [("route", key.route), ("method", key.method), ("status", String(key.status))]
            return (registry.makeCounter(descriptor: Self.requests, labels: labels),
                    registry.makeDurationHistogram(descriptor: Self.duration, labels: labels, buckets: Self.buckets))
        }
        requests.increment()
        duration.record(start.duration(to: .now))
        return response
    }
}

struct SeriesKey: Hashable {
    var route: String
    var method: String
    var status: Int
}

final class SeriesCache: Sendable {
    private let known = Mutex<[SeriesKey: (Counter, DurationHistogram)]>([:])

    func series(for key: SeriesKey, making: () -> (Counter, DurationHistogram)) -> (Counter, DurationHistogram) {
        if let found = known.withLock({ $0[key] }) { return found }
        let made = making()
        known.withLock { $0[key] = made }
        return made
    }
}
