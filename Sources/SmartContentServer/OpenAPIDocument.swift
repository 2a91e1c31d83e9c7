/// The API's contract, served at `/openapi.yaml`. Tests hold the router to it (every route
/// served is described here and every path here is served), and CI holds the running server
/// to it with schemathesis (`.ci/schemathesis.sh`): every status a route answers is listed,
/// and the schemas say what the server checks.
///
/// The document is the resource `Resources/openapi.yaml`, read once when the server starts.
import Foundation

enum OpenAPIDocument {
    static let resourceName = "openapi.yaml"
    /// SwiftPM names a target's resource bundle `<package>_<target>` and puts it beside
    /// the executable, as a `.resources` folder on Linux and a `.bundle` on Darwin.
    static let bundleSuffixes = ["_SmartContentServer.resources", "_SmartContentServer.bundle"]
    /// Where the resource says the time zones go; the list is the running system's.
    static let timeZonesPlaceholder = "[$TIME_ZONES]"

    /// The IANA time zones this system knows, as a JSON array: what `timezone` accepts
    /// (`UTC` among them, which the list of known identifiers leaves out).
    static let timeZonesJSON: String = {
        let zones = Set(TimeZone.knownTimeZoneIdentifiers + ["UTC"]).filter { TimeZone(identifier: $0) != nil }.sorted()
        return "[" + zones.map { "\"\($0)\"" }.joined(separator: ", ") + "]"
    }()

    /// The document, or why it could not be read.
    static let bundled: Result<String, Missing> = load(searching: candidateDirectories)

    struct Missing: Error, CustomStringConvertible {
        var description: String
    }

    /// Reads the resource from the first resource bundle found in `directories`.
    ///
    /// Not `Bundle.module`: it calls `fatalError` when the bundle is absent (an executable
    /// copied without its resources folder), and a missing document must not stop a server.
    static func load(searching directories: [URL]) -> Result<String, Missing> {
        for directory in directories {
            guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { continue }
            for entry in entries.sorted() where bundleSuffixes.contains(where: entry.hasSuffix) {
                guard let bundle = Bundle(url: directory.appendingPathComponent(entry)),
                      let url = bundle.url(forResource: "openapi", withExtension: "yaml"),
                      let text = try? String(contentsOf: url, encoding: .utf8) else { continue }
                return .success(text.replacingOccurrences(of: timeZonesPlaceholder, with: timeZonesJSON))
            }
        }
        let searched = directories.map(\.path).joined(separator: ", ")
        return .failure(Missing(description: "\(resourceName) was not found: no *\(bundleSuffixes[0]) (or .bundle) "
            + "beside the executable (searched \(searched)); ship that folder with the binary"))
    }

    /// Where SwiftPM's own accessor looks first: beside the main executable (followed
    /// through symbolic links), and beside the loaded bundles, such as a test bundle on Darwin.
    static var candidateDirectories: [URL] {
        var directories = [Bundle.main.bundleURL]
        if let executable = Bundle.main.executableURL {
            directories.append(executable.resolvingSymlinksInPath().deletingLastPathComponent())
        }
        directories += Bundle.allBundles.map { $0.bundleURL.deletingLastPathComponent() }
        var seen: Set<String> = []
        return directories.filter { seen.insert($0.standardizedFileURL.path).inserted }
    }
}
