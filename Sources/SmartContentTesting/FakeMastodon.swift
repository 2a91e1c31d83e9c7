import Foundation
import Synchronization

/// A Mastodon instance on loopback for your tests, with the two endpoints a Mastodon
/// channel uses: `GET /api/v2/instance` tells the character limit you give it, and
/// `POST /api/v1/statuses` checks the bearer token and the limit and posts. Like
/// Mastodon, it remembers each `Idempotency-Key`: a request that repeats one answers the
/// status the first created, and posts nothing.
///
/// ```swift
/// let mastodon = try FakeMastodon(maxCharacters: 300, lostAnswers: 1)
/// // connect a channel to mastodon.url with mastodon.token, publish, then:
/// #expect(mastodon.statuses.count == 1)
/// mastodon.stop()
/// ```
public final class FakeMastodon: Sendable {
    public struct Status: Sendable, Hashable {
        public var id: String
        public var text: String
        public var visibility: String
        public var idempotencyKey: String?
        public var url: String
    }

    /// What `GET /api/v2/instance` answers.
    public enum Instance: Sendable {
        /// `configuration.statuses.max_characters`.
        case limit(Int)
        /// An instance document without the limit (an older or another server).
        case withoutLimit
        /// That HTTP status and no document.
        case failing(Int)
    }

    public let token: String
    private let receiver: WebhookReceiver
    private let ledger: Ledger

    private final class Ledger: Sendable {
        let state = Mutex<(statuses: [Status], byKey: [String: Int], posts: Int)>(([], [:], 0))
    }

    /// - Parameters:
    ///   - instance: what the instance says of itself.
    ///   - lostAnswers: the first this many posts are made, but answered 503 as if the
    ///     answer was lost on the way back: what an `Idempotency-Key` is for.
    public init(token: String = "fake-token-123", instance: Instance = .limit(500), lostAnswers: Int = 0) throws {
        let ledger = Ledger()
        self.token = token
        self.ledger = ledger
        receiver = try WebhookReceiver { request, _ in
            Self.answer(request, token: token, instance: instance, lostAnswers: lostAnswers, ledger: ledger)
        }
    }

    deinit { stop() }

    /// The instance's root URL, `http://127.0.0.1:PORT`.
    public var url: String { receiver.url("") }

    /// Every status posted, once each.
    public var statuses: [Status] { ledger.state.withLock { $0.statuses } }

    /// Every request received, repeats included.
    public var requests: [WebhookReceiver.Request] { receiver.requests }

    public func stop() { receiver.stop() }

    private static func answer(_ request: WebhookReceiver.Request, token: String, instance: Instance, lostAnswers: Int,
                               ledger: Ledger) -> WebhookReceiver.Reply {
        switch (request.method, request.path) {
        case ("GET", "/api/v2/instance"):
            switch instance {
            case .limit(let limit):
                return .status(200, body: #"{"domain":"fake.example","version":"4.3.0","configuration":{"statuses":"#
                                   + #"{"max_characters":\#(limit),"max_media_attachments":4,"characters_reserved_per_url":23}}}"#)
            case .withoutLimit:
                return .status(200, body: #"{"domain":"fake.example","version":"4.3.0"}"#)
            case .failing(let status):
                return .status(status, body: #"{"error":"unavailable"}"#)
            }
        case ("POST", "/api/v1/statuses"):
            guard request.headers["authorization"] == "Bearer \(token)" else {
                return .status(401, body: #"{"error":"The access token is invalid"}"#)
            }
            let fields = Self.fields(of: request)
            guard let text = fields["status"], !text.isEmpty else {
                return .status(422, body: #"{"error":"Validation failed: Text can't be blank"}"#)
            }
            // Mastodon counts links as 23; the texts of these tests have none.
            if case .limit(let limit) = instance, text.count > limit {
                return .status(422, body: #"{"error":"Validation failed: Text character limit of \#(limit) exceeded"}"#)
            }
            let key = request.headers["idempotency-key"]
            let (status, lost) = ledger.state.withLock { state -> (Status, Bool) in
                state.posts += 1
                if let key, let index = state.byKey[key] { return (state.statuses[index], false) }
                let id = "\(109_000_000_000 + state.statuses.count + 1)"
                let status = Status(id: id, text: text, visibility: fields["visibility"] ?? "public", idempotencyKey: key,
                                    url: "https://fake.example/@tester/\(id)")
                state.statuses.append(status)
                if let key { state.byKey[key] = state.statuses.count - 1 }
                return (status, state.posts <= lostAnswers)
            }
            if lost { return .status(503, body: #"{"error":"upstream timed out"}"#) }
            let json = try? JSONSerialization.data(withJSONObject: [
                "id": status.id, "content": "<p>\(status.text)</p>", "visibility": status.visibility, "url": status.url,
                "uri": status.url, "created_at": "2027-01-01T09:00:00.000Z",
            ], options: [.sortedKeys])
            return .status(200, body: String(decoding: json ?? Data(), as: UTF8.self))
        default:
            return .status(404, body: #"{"error":"Record not found"}"#)
        }
    }

    /// The fields of a JSON or form-encoded body, as Mastodon takes both.
    private static func fields(of request: WebhookReceiver.Request) -> [String: String] {
        if request.headers["content-type"]?.hasPrefix("application/json") == true {
            let object = try? JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any]
            return (object ?? [:]).compactMapValues { $0 as? String }
        }
        var fields: [String: String] = [:]
        for pair in request.text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map {
                $0.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0)
            }
            if parts.count == 2 { fields[parts[0]] = parts[1] }
        }
        return fields
    }
}
