/// A certificate or key file the server cannot use: which file, and why, in one sentence
/// an operator can act on (`smartcontent serve` prints it as its one-line error).
public struct TLSCredentialsError: Error, Sendable, CustomStringConvertible {
    /// The path as given.
    public var file: String
    /// What is wrong with it, as the rest of a sentence whose subject is the file.
    public var reason: String

    public init(file: String, reason: String) {
        self.file = file
        self.reason = reason
    }

    public var description: String { "\(file) \(reason)" }
}
