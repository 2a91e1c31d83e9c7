import Foundation
public import SmartContentDomain
public import SmartContentProjections

/// A channel that receives each delivery as a JSON document (``DeliveryDocument``),
/// signed the Standard Webhooks way with the channel's secret.
public struct WebhookChannel: ChannelDriver {
    public var kind: ChannelKind { .webhook }

    public init() {}

    /// The endpoint must be an http(s) URL; a given secret must be `whsec_…`
    /// (``WebhookSecret/isValid(_:)``), else one is generated.
    public func connect(_ request: ChannelConnection, using _: any DeliveryTransport) async throws -> ChannelSettings {
        try Validation.url(request.url)
        let secret = try request.credential.map(Self.validSecret) ?? WebhookSecret.generate()
        return ChannelSettings(url: request.url, credential: secret)
    }

    static func validSecret(_ secret: String) throws -> String {
        guard WebhookSecret.isValid(secret) else {
            throw DomainError.invalid("secret", "secret must be whsec_ followed by the base64 of a 24 to 64 byte key; "
                                          + "leave it out to have one generated")
        }
        return secret
    }

    public func preview(of _: ContentView, on _: ChannelRecord) throws(PostTooLong) -> PostPreview? { nil }

    public func request(for attempt: ChannelDelivery) throws -> DeliveryRequest {
        let id = attempt.delivery.webhookId
        let body = try DeliveryDocument(job: attempt.job, channel: attempt.channel, content: attempt.content).encoded()
        let timestamp = attempt.now.millisecondsSince1970 / 1000
        var headers: [(name: String, value: String)] = [
            ("Content-Type", "application/json"),
            ("User-Agent", "SmartContent-Webhooks/1"),
            ("webhook-id", id),
            ("webhook-timestamp", "\(timestamp)"),
            ("Idempotency-Key", id),
        ]
        if let signature = WebhookSignature(secrets: attempt.credentials).header(id: id, timestamp: timestamp, body: body) {
            headers.append(("webhook-signature", signature))
        }
        // A receiver's id is near the start of its answer: keep no more of it.
        return DeliveryRequest(url: attempt.channel.url, headers: headers, body: body, timeout: attempt.timeout,
                               maxResponseBytes: 4096)
    }

    /// The id a receiver answered with (`{"id": "…"}`), if any.
    public func externalId(in response: DeliveryResponse) -> String? {
        guard let object = response.jsonObject else { return nil }
        if let id = object["id"] as? String { return String(id.prefix(200)) }
        if let id = object["id"] as? Int { return String(id) }
        return nil
    }
}

extension DeliveryResponse {
    /// The body as a JSON object, when it is one.
    var jsonObject: [String: Any]? {
        guard body.first == UInt8(ascii: "{") else { return nil }
        return try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]
    }
}
