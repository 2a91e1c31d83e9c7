import Foundation

/// A channel's signing secret, the Standard Webhooks way: `whsec_` followed by the
/// base64 of the key.
public enum WebhookSecret {
    public static let prefix = "whsec_"
    /// Key sizes Standard Webhooks libraries accept.
    public static let keySizes = 24...64

    /// A new secret over 32 random bytes.
    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let key = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return prefix + Data(key).base64EncodedString()
    }

    /// Whether `secret` is one a receiver's library can use: `whsec_` and the base64 of a
    /// 24 to 64 byte key.
    public static func isValid(_ secret: String) -> Bool {
        guard secret.hasPrefix(prefix), let key = Data(base64Encoded: String(secret.dropFirst(prefix.count))) else {
            return false
        }
        return keySizes.contains(key.count)
    }

    /// The HMAC key of `secret`: the decoded base64 after `whsec_`. Secrets connected
    /// before the format was enforced sign with their UTF-8 bytes.
    public static func key(of secret: String) -> [UInt8] {
        if secret.hasPrefix(prefix), let key = Data(base64Encoded: String(secret.dropFirst(prefix.count))), !key.isEmpty {
            return Array(key)
        }
        return Array(secret.utf8)
    }
}
