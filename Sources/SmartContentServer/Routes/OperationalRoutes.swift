import Foundation
import Hummingbird
import NIOCore
import Prometheus
import SmartContent

extension SmartContentAPI {
    struct Health: Encodable {
        var status: String
        var lastPosition: UInt64
    }

    /// `/healthz`, `/readyz`, `/metrics` and `/openapi.yaml`: no token, no rate limit.
    func addOperationalRoutes(to router: RouterGroup<APIContext>) {
        router.get("healthz") { _, context -> Response in
            try context.respond(Health(status: "ok", lastPosition: engine.log.head.head))
        }
        router.get("readyz") { _, context -> Response in
            let status = engine.projections.status()
            if let failed = status.first(where: { $0.state == .failed }) {
                throw APIError(.serviceUnavailable, "PROJECTION_FAILED", "projection \(failed.name) has failed: \(failed.error ?? "")")
            }
            guard readiness.isReady else {
                let lag = status.map(\.lag).max() ?? 0
                throw APIError(.serviceUnavailable, "NOT_READY", "the projections are catching up (\(lag) events behind)",
                               details: ["lag": String(lag)], headers: [.retryAfter: "1"])
            }
            return try context.respond(Health(status: "ready", lastPosition: engine.log.head.head))
        }
        router.get("metrics") { _, _ -> Response in
            updateEngineGauges()
            var buffer: [UInt8] = []
            metrics.emit(into: &buffer)
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(bytes: buffer)))
        }
        router.get("openapi.yaml") { _, _ -> Response in
            switch OpenAPIDocument.bundled {
            case .success(let yaml):
                return Response(status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"],
                                body: .init(byteBuffer: ByteBuffer(string: yaml)))
            case .failure(let missing):
                throw APIError(.serviceUnavailable, "DOCUMENT_MISSING", missing.description,
                               details: ["file": OpenAPIDocument.resourceName])
            }
        }
    }

    static var logPosition: MetricNameDescriptor { MetricNameDescriptor(namespace: "smartcontent", metricName: "log", unitName: "position",
                                                  helpText: "The last position of the log") }
    static var checkpoint: MetricNameDescriptor { MetricNameDescriptor(namespace: "smartcontent", metricName: "projection", unitName: "checkpoint",
                                                 helpText: "The last position folded by the projection") }
    static var lag: MetricNameDescriptor { MetricNameDescriptor(namespace: "smartcontent", metricName: "projection", unitName: "lag",
                                          helpText: "Events of the log the projection has not folded yet") }

    /// The engine's figures, read at scrape time: `rate()` of the position and of the
    /// checkpoints gives the append and fold rates.
    func updateEngineGauges() {
        let head = (try? engine.log.lastPosition()) ?? engine.log.head.head
        metrics.makeGauge(descriptor: Self.logPosition).set(Double(head))
        for status in engine.projections.status() {
            let labels = [("projection", status.name)]
            metrics.makeGauge(descriptor: Self.checkpoint, labels: labels).set(Double(status.checkpoint))
            metrics.makeGauge(descriptor: Self.lag, labels: labels).set(Double(status.lag))
        }
    }
}
