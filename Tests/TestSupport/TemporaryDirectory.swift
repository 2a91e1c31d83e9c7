import Foundation

/// A fresh folder under the system's temporary one for a test, removed with everything in
/// it by ``remove()`` or when the value goes away.
public final class TemporaryDirectory: Sendable {
    /// The folder itself, created.
    public let root: String
    /// `root/<name>`, not created: where a store that makes its own folder goes.
    public let path: String

    public init(_ name: String = "store") {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("smartcontent-tests-\(UUID().uuidString)").path
        try! FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        path = root + "/" + name
    }

    public func remove() { try? FileManager.default.removeItem(atPath: root) }

    deinit { remove() }
}
