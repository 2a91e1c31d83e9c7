import Foundation
public import SmartContentDomain
public import SmartContentProjections

/// A Mastodon account: each delivery posts a public status through the instance's REST
/// API (`POST /api/v1/statuses`, the access token as bearer). The text is the content's
/// title and body cut to the instance's limit (``PostText``).
///
/// A retry never posts twice: every attempt of a delivery carries the same
/// `Idempotency-Key` (its `webhook-id`), and Mastodon answers a repeated key with the
/// status the first one created. Mastodon keeps those keys for an hour: a delivery sent
/// again later (a replay of a dead letter) may post again.
public struct MastodonChannel: ChannelDriver {
    public var kind: ChannelKind { .mastodon }
    /// Mastodon's own default, for instances that do not say theirs.
    public static let defaultCharacterLimit = 500
    /// How long connecting waits for the instance to tell its limit.
    static let instanceTimeout: Duration = .seconds(5)

    public init() {}

    /// Needs the instance's http(s) URL (its root: `https://mastodon.social`) and an access
    /// token with the `write:statuses` scope. Reads the character limit from the instance
    /// (`GET /api/v2/instance`, `configuration.statuses.max_characters`); when the instance
    /// cannot be reached or does not say, Mastodon's default of 500 is kept, and the note
    /// says why.
    public func connect(_ request: ChannelConnection, using transport: any DeliveryTransport) async throws -> ChannelSettings {
        var url = request.url.trimmingWhitespace
        try Validation.url(url, field: "instanceUrl")
        while url.hasSuffix("/") { url.removeLast() }
        guard let parsed = URL(string: url), parsed.query == nil, parsed.fragment == nil else {
            throw DomainError.invalid("instanceUrl", "instanceUrl is the instance's root URL, such as https://mastodon.social")
        }
        guard let token = request.credential?.trimmingWhitespace, !token.isEmpty else {
            throw DomainError.invalid("accessToken", "accessToken is required: a token of the account with the write:statuses scope")
        }
        guard token.count <= 512, token.allSatisfy({ $0.isASCII && !$0.isWhitespace && !$0.isNewline }) else {
            throw DomainError.invalid("accessToken", "accessToken must be up to 512 visible ASCII characters")
        }
        let (limit, note) = await characterLimit(of: url, using: transport)
        return ChannelSettings(url: url, credential: token, characterLimit: limit ?? Self.defaultCharacterLimit,
                               characterLimitSource: limit == nil ? .fallback : .instance, note: note)
    }

    /// The instance's limit, or nil and why not.
    func characterLimit(of instance: String, using transport: any DeliveryTransport) async -> (Int?, String?) {
        let request = DeliveryRequest(method: "GET", url: instance + "/api/v2/instance",
                                      headers: [("Accept", "application/json"), ("User-Agent", "SmartContent/1")],
                                      body: [], timeout: Self.instanceTimeout, maxResponseBytes: 1 << 20)
        let fallback = "Mastodon's default of \(Self.defaultCharacterLimit) is used"
        let response: DeliveryResponse
        do {
            response = try await transport.send(request)
        } catch {
            return (nil, "\(instance)/api/v2/instance could not be read (\(error.message)): \(fallback)")
        }
        guard (200..<300).contains(response.statusCode) else {
            return (nil, "\(instance)/api/v2/instance answered HTTP \(response.statusCode): \(fallback)")
        }
        let configuration = response.jsonObject?["configuration"] as? [String: Any]
        let statuses = configuration?["statuses"] as? [String: Any]
        guard let limit = statuses?["max_characters"] as? Int, limit > 0 else {
            return (nil, "\(instance)/api/v2/instance gives no configuration.statuses.max_characters: \(fallback)")
        }
        return (limit, nil)
    }

    public func preview(of content: ContentView, on channel: ChannelRecord) throws(PostTooLong) -> PostPreview? {
        let limit = channel.characterLimit ?? Self.defaultCharacterLimit
        let text = try PostText.compose(title: content.title, body: content.body, limit: limit)
        return PostPreview(channelId: channel.channelId, text: text, characters: PostText.count(text), limit: limit)
    }

    public func request(for attempt: ChannelDelivery) throws -> DeliveryRequest {
        guard let token = attempt.credentials.first else {
            throw DeliveryTransportError(.invalidRequest, "channel \(attempt.channel.channelId) has no access token")
        }
        guard let text = try preview(of: attempt.content, on: attempt.channel)?.text else {
            throw DeliveryTransportError(.invalidRequest, "nothing to post")
        }
        let status = Status(status: text, visibility: "public")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return DeliveryRequest(
            url: attempt.channel.url + "/api/v1/statuses",
            headers: [
                ("Content-Type", "application/json"),
                ("Accept", "application/json"),
                ("User-Agent", "SmartContent/1"),
                ("Authorization", "Bearer \(token)"),
                ("Idempotency-Key", attempt.delivery.webhookId),
            ],
            body: Array(try encoder.encode(status)), timeout: attempt.timeout, maxResponseBytes: 1 << 18)
    }

    struct Status: Encodable {
        var status: String
        var visibility: String
    }

    /// The status's id (Mastodon's ids are strings of digits).
    public func externalId(in response: DeliveryResponse) -> String? {
        guard let id = response.jsonObject?["id"] as? String else { return nil }
        return String(id.prefix(200))
    }

    /// Mastodon says what it refused in `{"error": "…"}`: `HTTP 422: Validation failed: …`.
    public func failure(in response: DeliveryResponse) -> String {
        guard let error = response.jsonObject?["error"] as? String, !error.isEmpty else { return "HTTP \(response.statusCode)" }
        return "HTTP \(response.statusCode): \(error.prefix(300))"
    }
}
