import Foundation

/// The seed of a randomized test: `SMARTCONTENT_TEST_SEED` when it is set, to replay a
/// failure, else a fresh one. Put it in the test's failure messages (its description says
/// how to replay).
public struct TestSeed: Sendable, CustomStringConvertible {
    public static let variable = "SMARTCONTENT_TEST_SEED"
    public let value: UInt64

    public init() {
        if let text = ProcessInfo.processInfo.environment[Self.variable] {
            guard let value = UInt64(text) else { preconditionFailure("\(Self.variable) must be a whole number, not '\(text)'") }
            self.value = value
        } else {
            value = UInt64.random(in: 0...UInt64.max)
        }
    }

    /// A generator that gives the same numbers for the same seed on every machine.
    public var generator: SplitMix64 { SplitMix64(seed: value) }

    public var description: String { "seed \(value) (replay with \(Self.variable)=\(value))" }
}

/// SplitMix64: small, fast and the same everywhere.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
