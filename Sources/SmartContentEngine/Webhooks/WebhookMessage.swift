import Crypto
import EventLog
import Foundation
import SmartContentDomain

/// The JSON an integrator's webhook receives: Standard Webhooks' `{type, timestamp, data}`
/// with `data` the event's fields as the log's wire format names them, plus where the
/// event is on the log (`position`, `eventId`, what a replay starts from) and its
/// workspace. A `notification.*` message's `data` also names its `recipient` by user id
/// and name, never by email: the address is personal data the receiver can ask the API
/// for (`GET /v1/users/{userId}`, admin), and it would outlive an erasure in the
/// receiver's logs. Every attempt and replay of a message sends the same bytes.
struct WebhookMessage {
    struct Recipient {
        var userId: UserID
        var name: String?
    }

    var type: String
    var position: UInt64
    var source: SmartContentEngine.WebhookSource
    var workspaceId: WorkspaceID
    var recipient: Recipient?

    /// The body, keys sorted.
    func encoded() throws -> [UInt8] {
        var event = source.event
        // A channel's secret is a credential: not even sealed does it leave the platform.
        if case .channelConnected(var connected) = event {
            connected.secret = nil
            event = .channelConnected(connected)
        }
        guard case .object(var data) = try JSONValue(parsing: EventCatalog.encodeJSON(event)) else {
            throw EventCatalog.Failure.malformedPayload(type: event.type, reason: "its JSON form is not an object")
        }
        if let recipient {
            var person: [(key: String, value: JSONValue)] = []
            if let name = recipient.name { person.append(("name", .string(name))) }
            person.append(("userId", .string(recipient.userId.rawValue)))
            data.append(("recipient", .object(person)))
            data.sort { $0.key < $1.key }
        }
        let message = JSONValue.object([
            ("data", .object(data)),
            ("eventId", .string(source.id.description)),
            ("position", .number(String(position))),
            // When the event was recorded: the same for every attempt.
            ("timestamp", .string(source.recordedAt.iso8601)),
            ("type", .string(type)),
            ("workspaceId", .string(workspaceId.rawValue)),
        ])
        var out: [UInt8] = []
        message.write(to: &out)
        return out
    }

    /// The `webhook-id` of the message: derived from the subscription, the event and the
    /// type, so every attempt, a restart and a replay send the same one.
    static func webhookId(subscription: WebhookSubscriptionID, event: EventID, type: String) -> String {
        let digest = SHA256.hash(data: Array("\(subscription)/\(event)/\(type)".utf8))
        return "msg_" + digest.prefix(16).map { String(format: "%02x", $0) }.joined()
    }
}
