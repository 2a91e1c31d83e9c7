import Foundation
import Testing

/// `smartcontent serve` configured with `SMARTCONTENT_GENERATOR_*`: refused when it cannot
/// be used, and wired to the generate route when it can.
@Suite(.timeLimit(.minutes(10))) struct GeneratorServeTests {
    @Test(arguments: [
        (["SMARTCONTENT_GENERATOR_URL": "http://127.0.0.1:11434/v1"], "SMARTCONTENT_GENERATOR_MODEL is required"),
        (["SMARTCONTENT_GENERATOR_URL": "localhost:11434", "SMARTCONTENT_GENERATOR_MODEL": "m"], "must be an http or https URL"),
        (["SMARTCONTENT_GENERATOR_URL": "http://h/v1", "SMARTCONTENT_GENERATOR_MODEL": "m",
          "SMARTCONTENT_GENERATOR_TIMEOUT_MS": "0"], "SMARTCONTENT_GENERATOR_TIMEOUT_MS must be an integer"),
    ])
    func serveRefusesAGeneratorItCannotUse(environment: [String: String], message: String) throws {
        let dir = DataDirectory()
        let serve = try dir.run(product("smartcontent"), ["serve", "--data", dir.store, "--port", "0"], environment: environment)
        #expect(serve.status != 0)
        #expect(serve.stderr.contains(message), "\(serve.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.store), "nothing was created")
    }

    /// The provider is down (nothing listens on port 1): generate answers 503 in the envelope,
    /// and neither the answer nor the server's log holds the key.
    @Test func serveGeneratesThroughTheConfiguredProviderAndSays503WhenItIsDown() async throws {
        let dir = DataDirectory()
        let key = "sk-cli-SECRET-0f1e2d3c"
        let server = try await RunningServer(data: dir.store, in: dir, environment: [
            "SMARTCONTENT_GENERATOR_URL": "http://127.0.0.1:1/v1", "SMARTCONTENT_GENERATOR_MODEL": "llama3.2",
            "SMARTCONTENT_GENERATOR_API_KEY": key, "SMARTCONTENT_GENERATOR_MAX_ATTEMPTS": "2",
            "SMARTCONTENT_GENERATOR_BACKOFF_MS": "10",
        ])
        defer { _ = server.stop() }
        let (token, _) = try await server.register("gen@example.com")
        let failed = try await server.call("POST", "/v1/content/generate", token: token,
                                           body: #"{"contentType":"blog_post","topic":"Tea","length":150}"#)
        #expect(failed.status == 503)
        #expect(failed.body["error"]?["code"] == .string("GENERATOR_UNAVAILABLE"))
        #expect(failed.body["error"]?["details"]?["reason"] == .string("unreachable"))
        #expect(failed.body["error"]?["details"]?["attempts"] == .string("2"))
        #expect(server.log.contains("openai-compatible http://127.0.0.1:1/v1/chat/completions model llama3.2"), "\(server.log)")
        #expect(server.log.contains("generator unavailable"))
        #expect(!server.log.contains(key) && !"\(failed.body)".contains(key))
    }
}
