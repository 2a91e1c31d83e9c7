import Crypto
import Foundation

/// Signs deliveries as Standard Webhooks receivers verify them: the `webhook-signature`
/// header holds `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, one per key, separated
/// by spaces (two while a rotated secret still signs).
public struct WebhookSignature: Sendable {
    let keys: [SymmetricKey]

    public init(secrets: [String]) {
        keys = secrets.map { SymmetricKey(data: WebhookSecret.key(of: $0)) }
    }

    /// The `webhook-signature` header value, or nil for a channel without a secret.
    public func header(id: String, timestamp: Int64, body: [UInt8]) -> String? {
        guard !keys.isEmpty else { return nil }
        var signed = Array("\(id).\(timestamp).".utf8)
        signed.append(contentsOf: body)
        return keys.map { key in
            "v1," + Data(HMAC<SHA256>.authenticationCode(for: signed, using: key)).base64EncodedString()
        }.joined(separator: " ")
    }
}
