import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// A self-signed certificate for 127.0.0.1 and localhost, valid for a day, made by the
/// system's openssl into the test's directory.
struct TestCertificate {
    let certificate: String
    let key: String

    init(in dir: DataDirectory, name: String = "server") throws {
        certificate = dir.path + "/\(name)-cert.pem"
        key = dir.path + "/\(name)-key.pem"
        let made = try dir.run("/usr/bin/openssl", [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
            "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-days", "1", "-keyout", key, "-out", certificate,
        ])
        try #require(made.status == 0, "openssl req: \(made.stderr)")
    }
}

/// libcurl, through the curl tool, as the HTTPS client: FoundationNetworking's URLSession
/// on Linux cannot be told to trust one more certificate, and certificate checking stays
/// on in every call here. `-q` ignores a ~/.curlrc, `--noproxy` any proxy variable.
func curl(_ dir: DataDirectory, _ arguments: [String]) throws -> CommandOutput {
    try dir.run("/usr/bin/curl", ["-q", "--silent", "--show-error", "--noproxy", "*", "--max-time", "30"] + arguments)
}

/// The status and headers (lower-cased names) of a `curl --dump-header -` output.
func responseHead(_ output: CommandOutput) -> (status: Int?, headers: [String: String]) {
    let lines = output.stdout.split(separator: "\r\n")
    let status = lines.first?.split(separator: " ").dropFirst().first.flatMap { Int($0) }
    var headers: [String: String] = [:]
    for line in lines.dropFirst() {
        guard let colon = line.firstIndex(of: ":") else { continue }
        headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
    return (status, headers)
}

@Suite(.timeLimit(.minutes(10))) struct TLSTests {
    @Test func aTLSServerAnswersOverHTTPSWithHSTSOnlyToClientsThatTrustItsCertificate() async throws {
        let dir = DataDirectory()
        let tls = try TestCertificate(in: dir)
        let server = try await RunningServer(data: dir.store, in: dir, arguments: ["--tls-cert", tls.certificate, "--tls-key", tls.key])
        defer { _ = server.stop() }
        #expect(server.log.contains("tls=true"), "\(server.log)")
        let https = "https://127.0.0.1:\(server.port)"

        let health = try curl(dir, ["--cacert", tls.certificate, "--dump-header", "-", "--output", "/dev/null", https + "/healthz"])
        #expect(health.status == 0, "\(health.stderr)")
        let head = responseHead(health)
        #expect(head.status == 200, "\(health.stdout)")
        #expect(head.headers["strict-transport-security"] == "max-age=63072000", "\(health.stdout)")
        // Error envelopes too: the header is on every answer of a TLS server.
        let missing = responseHead(try curl(dir, ["--cacert", tls.certificate, "--dump-header", "-", "--output", "/dev/null", https + "/nowhere"]))
        #expect(missing.status == 404)
        #expect(missing.headers["strict-transport-security"] == "max-age=63072000")
        // The DNS name in the certificate works as well as the address.
        let byName = try curl(dir, ["--cacert", tls.certificate, "--resolve", "localhost:\(server.port):127.0.0.1",
                                    "--output", "/dev/null", "--write-out", "%{http_code}", "https://localhost:\(server.port)/healthz"])
        #expect(byName.stdout == "200", "\(byName.stderr)")

        // A client that trusts only the system's authorities refuses the handshake (curl's 60:
        // the peer's certificate cannot be verified).
        let untrusted = try curl(dir, ["--output", "/dev/null", https + "/healthz"])
        #expect(untrusted.status == 60, "\(untrusted.stderr)")

        // Plain HTTP to the TLS port gets no answer a client could take for one.
        let plain = try curl(dir, ["--output", "/dev/null", "--write-out", "%{http_code}", "http://127.0.0.1:\(server.port)/healthz"])
        #expect(plain.status != 0)
        #expect(plain.stdout != "200")
        #expect(server.process.isRunning, "a client speaking HTTP to the TLS port does not stop the server")
    }

    /// The server refuses TLS 1.1 and lower (RFC 8996). The client lowers OpenSSL's security
    /// level so that it really offers TLS 1.1, which Debian's OpenSSL 3 otherwise would not
    /// (and the refusal would be the client's own); TLS 1.2 with the same client succeeds.
    @Test func tlsBelowVersion1Point2IsRefused() async throws {
        let dir = DataDirectory()
        let tls = try TestCertificate(in: dir)
        let server = try await RunningServer(data: dir.store, in: dir, arguments: ["--tls-cert", tls.certificate, "--tls-key", tls.key])
        defer { _ = server.stop() }
        let url = "https://127.0.0.1:\(server.port)/healthz"
        let lowered = ["--cacert", tls.certificate, "--ciphers", "DEFAULT@SECLEVEL=0", "--output", "/dev/null", "--write-out", "%{http_code}"]

        let twelve = try curl(dir, lowered + ["--tlsv1.2", "--tls-max", "1.2", url])
        #expect(twelve.status == 0, "\(twelve.stderr)")
        #expect(twelve.stdout == "200")
        for version in ["1.1", "1.0"] {
            let old = try curl(dir, lowered + ["--tlsv\(version)", "--tls-max", version, url])
            #expect(old.status != 0, "TLS \(version) was accepted")
            #expect(old.stdout != "200")
        }
    }

    /// Each variable stands for its flag, and a flag wins over its variable.
    @Test func theEnvironmentNamesTheCertificateAndKeyAndFlagsWinOverIt() async throws {
        let dir = DataDirectory()
        let tls = try TestCertificate(in: dir)
        let fromEnvironment = try await RunningServer(data: dir.store, in: dir, environment: [
            "SMARTCONTENT_TLS_CERT": tls.certificate, "SMARTCONTENT_TLS_KEY": tls.key,
        ])
        let viaVariables = try curl(dir, ["--cacert", tls.certificate, "--output", "/dev/null", "--write-out", "%{http_code}",
                                          "https://127.0.0.1:\(fromEnvironment.port)/healthz"])
        #expect(viaVariables.stdout == "200", "\(viaVariables.stderr)")
        #expect(fromEnvironment.stop() == 0)

        let overridden = try await RunningServer(data: dir.store, in: dir, arguments: ["--tls-cert", tls.certificate, "--tls-key", tls.key],
                                                 environment: ["SMARTCONTENT_TLS_CERT": dir.path + "/absent-cert.pem",
                                                               "SMARTCONTENT_TLS_KEY": dir.path + "/absent-key.pem"])
        defer { _ = overridden.stop() }
        let viaFlags = try curl(dir, ["--cacert", tls.certificate, "--output", "/dev/null", "--write-out", "%{http_code}",
                                      "https://127.0.0.1:\(overridden.port)/healthz"])
        #expect(viaFlags.stdout == "200", "\(viaFlags.stderr)")
    }

    /// Plain HTTP beyond loopback says at start-up that tokens and passwords travel in the
    /// clear, and how to stop it; on loopback, or with TLS, it says nothing of the kind.
    @Test func plainHTTPBeyondLoopbackWarnsThatTrafficIsUnencrypted() async throws {
        let dir = DataDirectory()
        let exposed = try await RunningServer(data: dir.store, in: dir, arguments: ["--host", "0.0.0.0"])
        let health = try await exposed.call("GET", "/healthz")
        #expect(health.status == 200)
        #expect(health.header("Strict-Transport-Security") == nil, "no HSTS over plain HTTP")
        let warning = exposed.log.split(separator: "\n").first { $0.contains("unencrypted") }
        #expect(warning?.contains("warning") == true, "\(exposed.log)")
        #expect(warning?.contains("--tls-cert") == true)
        #expect(exposed.stop() == 0)

        let local = try await RunningServer(data: dir.store, in: dir)
        #expect(local.stop() == 0)
        #expect(!local.log.contains("unencrypted"), "\(local.log)")

        let tls = try TestCertificate(in: dir)
        let encrypted = try await RunningServer(data: dir.store, in: dir,
                                                arguments: ["--host", "0.0.0.0", "--tls-cert", tls.certificate, "--tls-key", tls.key])
        #expect(encrypted.stop() == 0)
        #expect(!encrypted.log.contains("unencrypted"), "\(encrypted.log)")
    }

    /// A certificate without its key, or the reverse, is bad usage (exit 2), whether flags
    /// or variables give them; nothing is served and no store is made.
    @Test func aCertificateWithoutItsKeyIsBadUsage() throws {
        let dir = DataDirectory()
        let cert = dir.file("cert.pem", ""), key = dir.file("key.pem", "")
        let cases: [(arguments: [String], environment: [String: String], missing: String)] = [
            (["--tls-cert", cert], [:], "--tls-key"),
            (["--tls-key", key], [:], "--tls-cert"),
            ([], ["SMARTCONTENT_TLS_CERT": cert], "--tls-key"),
            (["--tls-key", key], ["SMARTCONTENT_TLS_KEY": key], "--tls-cert"),
        ]
        for (arguments, environment, missing) in cases {
            let served = try dir.run(product("smartcontent"), ["serve", "--port", "0", "--data", dir.store] + arguments, environment: environment)
            #expect(served.status == 2, "\(arguments) \(environment): \(served.stderr)")
            #expect(served.stderr.split(separator: "\n").count == 1, "\(served.stderr)")
            #expect(served.stderr.contains("needs \(missing)"), "\(served.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: dir.store))
    }

    /// An unreadable or wrong certificate or key ends `serve` with one line naming the file
    /// and what is wrong, exit 4, before any store is opened.
    @Test func anUnusableCertificateOrKeyIsOneClearLineAndExit4() throws {
        let dir = DataDirectory()
        let tls = try TestCertificate(in: dir)
        let other = try TestCertificate(in: dir, name: "other")
        let garbage = dir.file("garbage.pem", "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n")
        let text = dir.file("text.pem", "not a key at all\n")
        let cases: [(cert: String, key: String, says: String)] = [
            (tls.certificate, garbage, "\(garbage) holds no unencrypted PEM private key"),
            (tls.certificate, text, "\(text) holds no unencrypted PEM private key"),
            (garbage, tls.key, "\(garbage) holds no PEM certificate"),
            (dir.path + "/absent.pem", tls.key, "\(dir.path)/absent.pem cannot be read as the TLS certificate: No such file or directory"),
            (tls.certificate, dir.path, "\(dir.path) cannot be read as the TLS private key"),
            (tls.certificate, other.key, "\(other.key) is not the private key of the certificate in \(tls.certificate)"),
        ]
        for (cert, key, says) in cases {
            let served = try dir.run(product("smartcontent"), ["serve", "--port", "0", "--data", dir.store, "--tls-cert", cert, "--tls-key", key])
            #expect(served.status == 4, "\(served.stderr)")
            #expect(served.stderr.split(separator: "\n").count == 1, "\(served.stderr)")
            #expect(served.stderr.contains(says), "\(served.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: dir.store), "no store is made for a server that cannot start")
    }
}
