import SmartContentServer
import Testing

@Suite struct LoopbackTests {
    /// What `smartcontent serve` warns about: plain HTTP on an address other machines reach.
    @Test(arguments: [
        ("127.0.0.1", true), ("127.8.9.10", true), ("localhost", true), ("LocalHost", true), ("localhost.", true),
        ("::1", true), ("[::1]", true), ("::ffff:127.0.0.1", true),
        ("0.0.0.0", false), ("::", false), ("[::]", false), ("10.0.0.5", false), ("128.0.0.1", false),
        ("::2", false), ("::ffff:10.0.0.1", false), ("example.com", false), ("localhost.example.com", false), ("", false),
    ])
    func onlyLoopbackAddressesCountAsLoopback(host: String, loopback: Bool) {
        var configuration = SmartContentAPI.Configuration()
        configuration.host = host
        #expect(configuration.listensOnLoopbackOnly == loopback)
    }
}
