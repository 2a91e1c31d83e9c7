import Foundation

extension OpenAICompatibleGenerator.Configuration {
    /// A setting of the environment that cannot be used; the message names the variable.
    public struct EnvironmentError: Error, Hashable, Sendable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// The provider `SMARTCONTENT_GENERATOR_*` configures, or `nil` without
    /// `SMARTCONTENT_GENERATOR_URL` (the offline generator then).
    ///
    /// - `SMARTCONTENT_GENERATOR_URL`: the API's base URL, http or https, with its version
    ///   path (`http://localhost:11434/v1`).
    /// - `SMARTCONTENT_GENERATOR_MODEL`: required with the URL; no default, because a
    ///   model name is particular to each provider and a wrong guess would only fail later,
    ///   request by request.
    /// - `SMARTCONTENT_GENERATOR_API_KEY`: optional (local servers need none).
    /// - `SMARTCONTENT_GENERATOR_TIMEOUT_MS` (30000), `SMARTCONTENT_GENERATOR_MAX_ATTEMPTS`
    ///   (3) and `SMARTCONTENT_GENERATOR_BACKOFF_MS` (500).
    public init?(environment: [String: String]) throws(EnvironmentError) {
        func value(_ name: String) -> String? {
            environment["SMARTCONTENT_GENERATOR_" + name].map { $0.trimmingCharacters(in: .whitespaces) }
                .flatMap { $0.isEmpty ? nil : $0 }
        }
        guard let text = value("URL") else { return nil }
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
              let host = url.host, !host.isEmpty
        else {
            throw EnvironmentError(message: "SMARTCONTENT_GENERATOR_URL must be an http or https URL, such as http://localhost:11434/v1")
        }
        guard let model = value("MODEL") else {
            throw EnvironmentError(message: "SMARTCONTENT_GENERATOR_MODEL is required with SMARTCONTENT_GENERATOR_URL: "
                                       + "the model the provider runs, such as llama3.2 or gpt-4o-mini")
        }
        self.init(baseURL: url, model: model, apiKey: value("API_KEY"))
        func number(_ name: String, _ range: ClosedRange<Int>) throws(EnvironmentError) -> Int? {
            guard let text = value(name) else { return nil }
            guard let number = Int(text), range.contains(number) else {
                throw EnvironmentError(message: "SMARTCONTENT_GENERATOR_\(name) must be an integer from \(range.lowerBound) to \(range.upperBound)")
            }
            return number
        }
        if let milliseconds = try number("TIMEOUT_MS", 1...600_000) { timeout = .milliseconds(milliseconds) }
        if let attempts = try number("MAX_ATTEMPTS", 1...10) { maxAttempts = attempts }
        if let milliseconds = try number("BACKOFF_MS", 0...60_000) { backoff = .milliseconds(milliseconds) }
    }
}
