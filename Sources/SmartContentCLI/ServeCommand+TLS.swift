import ArgumentParser
import Logging
import SmartContentServer

extension ServeCommand {
    var resolvedTLSCert: String? { tlsCert ?? environment("SMARTCONTENT_TLS_CERT") }
    var resolvedTLSKey: String? { tlsKey ?? environment("SMARTCONTENT_TLS_KEY") }

    /// Both or neither: a certificate without its key (or the reverse) is a typo or a
    /// half-done deployment, and falling back to plain HTTP would hide it.
    func validateTLS() throws {
        switch (resolvedTLSCert, resolvedTLSKey) {
        case (.some, nil):
            throw ValidationError("--tls-cert (or $SMARTCONTENT_TLS_CERT) needs --tls-key (or $SMARTCONTENT_TLS_KEY): give both to serve HTTPS, or neither")
        case (nil, .some):
            throw ValidationError("--tls-key (or $SMARTCONTENT_TLS_KEY) needs --tls-cert (or $SMARTCONTENT_TLS_CERT): give both to serve HTTPS, or neither")
        default:
            break
        }
    }

    /// The certificate and key, read and checked; nil for plain HTTP.
    ///
    /// - Throws: `CommandFailure` (exit 4, invalid input) naming the file and what is
    ///   wrong with it.
    func loadTLS() throws -> TLSCredentials? {
        guard let certificate = resolvedTLSCert, let key = resolvedTLSKey else { return nil }
        do {
            return try TLSCredentials(certificateChainFile: certificate, privateKeyFile: key)
        } catch {
            throw CommandFailure(.invalidInput, "cannot serve HTTPS: \(error)")
        }
    }

    /// Plain HTTP that other machines can reach carries every bearer token and password in
    /// the clear: say so where an operator looks first, and how to stop it.
    func warnIfUnencrypted(_ api: SmartContentAPI.Configuration, logger: Logger) {
        guard api.tls == nil, !api.listensOnLoopbackOnly else { return }
        logger.warning("""
            plain HTTP on \(api.host), beyond loopback: tokens and passwords cross the network unencrypted; \
            serve HTTPS with --tls-cert FILE --tls-key FILE (or $SMARTCONTENT_TLS_CERT and $SMARTCONTENT_TLS_KEY), \
            or listen on 127.0.0.1 behind a TLS proxy
            """)
    }
}
