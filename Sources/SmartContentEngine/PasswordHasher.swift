import HummingbirdBcrypt

/// Turns passwords into slow hashes and checks them.
public protocol PasswordHasher: Sendable {
    func hash(_ password: String) -> String
    func verify(_ password: String, against hash: String) -> Bool
}

/// bcrypt. The default cost makes a guess slow for an attacker and stays quick enough
/// for a login.
public struct BcryptPasswordHasher: PasswordHasher {
    public var cost: UInt8

    public init(cost: UInt8 = 10) { self.cost = cost }

    public func hash(_ password: String) -> String { Bcrypt.hash(password, cost: cost) }

    public func verify(_ password: String, against hash: String) -> Bool {
        !hash.isEmpty && Bcrypt.verify(password, hash: hash)
    }
}
