import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension SmartContentAPI.Configuration {
    /// Whether `host` reaches only this machine: 127.0.0.0/8, `::1` (also written
    /// `[::1]` or as the IPv4-mapped `::ffff:127.x.y.z`) or `localhost`.
    ///
    /// Any other name counts as reachable from the network, even one that happens to
    /// resolve to loopback: plain HTTP there deserves the warning `smartcontent serve`
    /// gives, and a false alarm costs less than a silent leak of tokens and passwords.
    public var listensOnLoopbackOnly: Bool {
        var name = host.lowercased()
        if name.hasPrefix("["), name.hasSuffix("]") { name = String(name.dropFirst().dropLast()) }
        if name == "localhost" || name == "localhost." { return true }
        var v4 = in_addr()
        if inet_pton(AF_INET, name, &v4) == 1 {
            return UInt32(bigEndian: v4.s_addr) >> 24 == 127
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, name, &v6) == 1 else { return false }
        let bytes = withUnsafeBytes(of: v6) { Array($0) }
        let loopback: [UInt8] = Array(repeating: 0, count: 15) + [1]
        let mappedPrefix: [UInt8] = Array(repeating: 0, count: 10) + [0xff, 0xff]
        return bytes == loopback || (bytes.prefix(12).elementsEqual(mappedPrefix) && bytes[12] == 127)
    }
}
