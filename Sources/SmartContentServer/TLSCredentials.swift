import Foundation
public import NIOSSL

/// What the server needs to speak HTTPS: a certificate chain and its private key, from PEM
/// files, as a TLS 1.2+ server configuration.
///
/// Loading reads, parses and pairs both files at once, so a wrong path, a file that is
/// not PEM or a key of another certificate stops the caller before it opens a store or a
/// socket; Hummingbird would otherwise build its TLS context only when the server starts,
/// and fail there.
///
/// ## Errors
/// ``TLSCredentialsError``, naming the file and the reason in one sentence.
public struct TLSCredentials: Sendable {
    /// The server configuration handed to Hummingbird (`HTTPServerBuilder.tls`); an
    /// embedder may adjust it (ciphers, ALPN) before starting the server.
    public var configuration: TLSConfiguration

    /// - Parameters:
    ///   - certificateChainFile: PEM, the server's certificate first, then any
    ///     intermediates a client needs to reach its trusted root.
    ///   - privateKeyFile: PEM, unencrypted: a server restarting unattended has no one
    ///     to type a passphrase.
    public init(certificateChainFile: String, privateKeyFile: String) throws(TLSCredentialsError) {
        let chainPEM = try Self.read(certificateChainFile, "certificate")
        let keyPEM = try Self.read(privateKeyFile, "private key")
        // An empty list is what a file without any certificate block parses to.
        guard let chain = try? NIOSSLCertificate.fromPEMBytes(chainPEM), !chain.isEmpty else {
            throw TLSCredentialsError(file: certificateChainFile, reason: "holds no PEM certificate (-----BEGIN CERTIFICATE-----)")
        }
        guard let key = try? NIOSSLPrivateKey(bytes: keyPEM, format: .pem) else {
            throw TLSCredentialsError(file: privateKeyFile, reason: "holds no unencrypted PEM private key")
        }
        var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) },
                                                                     privateKey: .privateKey(key))
        // TLS 1.0 and 1.1 are deprecated (RFC 8996), and NIOSSL's default still allows them.
        configuration.minimumTLSVersion = .tlsv12
        // BoringSSL pairs the key with the leaf certificate when a context is made: a key
        // of another certificate fails here, not at the first client's handshake.
        do { _ = try NIOSSLContext(configuration: configuration) } catch {
            throw TLSCredentialsError(file: privateKeyFile, reason: "is not the private key of the certificate in \(certificateChainFile)")
        }
        self.configuration = configuration
    }

    /// Wraps a configuration made by the embedder, as it is.
    public init(configuration: TLSConfiguration) {
        self.configuration = configuration
    }

    private static func read(_ path: String, _ what: String) throws(TLSCredentialsError) -> [UInt8] {
        guard let contents = FileManager.default.contents(atPath: path) else {
            // FileManager says only "nil"; errno of an open says why.
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            let reason = fd < 0 ? String(cString: strerror(errno)) : "not a regular file"
            if fd >= 0 { close(fd) }
            throw TLSCredentialsError(file: path, reason: "cannot be read as the TLS \(what): \(reason)")
        }
        return Array(contents)
    }
}
