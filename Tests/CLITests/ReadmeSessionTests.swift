import Foundation
import Testing

/// The README's curl session, run as written against a real server.
@Suite(.timeLimit(.minutes(10))) struct ReadmeSessionTests {
    @Test func theCurlSessionOfTheReadmeWorksAsWritten() async throws {
        let readme = try String(contentsOfFile: packageRoot() + "/README.md", encoding: .utf8)
        let marker = "this session works as written"
        let after = try #require(readme.range(of: marker)).upperBound
        let block = try #require(readme[after...].range(of: "```sh\n"))
        let end = try #require(readme[block.upperBound...].range(of: "```"))
        var script = String(readme[block.upperBound..<end.lowerBound])

        let dir = DataDirectory()
        let server = try await RunningServer(data: dir.store, in: dir)
        defer { _ = server.stop() }
        script = script.replacingOccurrences(of: "H=http://127.0.0.1:8080", with: "H=\(server.base)")
        let result = try dir.run("/bin/bash", ["-euo", "pipefail", "-c", "cd '\(dir.path)' && " + script])
        #expect(result.status == 0, "\(result.stderr)")
        // Every JSON answer of the session is a success envelope (curl prints them back to back).
        #expect(result.stdout.components(separatedBy: #""success":true"#).count - 1 >= 10)
        #expect(!result.stdout.contains(#""success":false"#), "\(result.stdout)")
        #expect(result.stdout.contains("Hello, world"))
        #expect(result.stdout.contains(#""views":1"#), "the analytics read saw the view it waited for")
        #expect(result.stdout.contains("workspaceId,contentId,title,date,views"), "the CSV export")
        #expect(result.stdout.contains(#"smartcontent_projection_lag{projection="content"}"#), "\(result.stdout)")
    }

    func packageRoot() -> String {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.path + "/Package.swift") { return url.path }
        }
        return FileManager.default.currentDirectoryPath
    }
}
