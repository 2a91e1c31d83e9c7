import Foundation
import SmartContent
import SmartContentDomain
import SmartContentProjections
import Testing
import TestSupport

/// The README's embedding example, kept compiling and running.
@Test func theReadmeEmbeddingExampleRuns() async throws {
    let temporary = TemporaryDirectory("readme")
    defer { temporary.remove() }
    let directory = temporary.path
    var configuration = SmartContentEngine.Configuration()
    configuration.passwordHasher = BcryptPasswordHasher(cost: 4)

    // --- README example ---
    let engine = try SmartContentEngine(directory: directory, configuration: configuration)

    let alice = try await engine.register(email: "alice@example.com", password: "Correct-Horse-9", name: "Alice")
    let actor = try await engine.actor(alice.value.userId)

    let post = try await engine.createContent(
        .init(title: "Hello", body: "Our first post.", contentType: .blogPost, keywords: ["launch"]), by: actor)
    try await engine.recordEngagement([.init(contentId: post.value.contentId, kind: .view)], by: actor)

    // Read your own writes: wait until the projection has folded the append.
    let content = try await engine.read(ContentProjection.self, atLeast: post.position) {
        try $0.content(post.value.contentId, in: actor.workspaceId)
    }
    print(content?.title ?? "-", content?.status.rawValue ?? "-")   // Hello draft

    // Follow the log: the events after a position, then each new one as it is appended.
    for try await event in engine.subscribe(after: post.position) {
        print(event.position, event.type)   // 5 EngagementRecorded
        break
    }

    await engine.close()
    // --- end of README example ---

    #expect(content?.title == "Hello")
    #expect(content?.status == .draft)
    // What the example prints as it follows the log.
    let reopened = try SmartContentEngine(directory: directory, configuration: configuration)
    var followed: (position: UInt64, type: String)?
    for try await event in reopened.subscribe(after: post.position) {
        followed = (event.position, event.type)
        break
    }
    await reopened.close()
    #expect(followed?.position == 5)
    #expect(followed?.type == "EngagementRecorded")
}
