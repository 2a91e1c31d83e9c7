import Foundation
@testable import SmartContent
import SmartContentDomain
import SmartContentProjections
import SmartContentTesting
import Testing

/// Refine as an editor would judge it: it edits the text it is given, does what the
/// instructions say, and says what it did not do.
@Suite struct OfflineRefineTests {
    /// Written by a person: names, figures, no phrase of the generator's.
    static let handWritten = """
        Our spring launch went better than we hoped. We shipped the new editor on March 3, two weeks ahead of plan. \
        Sign-ups grew by 40% in the first week, mostly from teams of five to twenty people.

        The biggest surprise was the mobile app. Nobody expected it to matter this much. Maria's team rebuilt the \
        onboarding in Swift and cut the time to first post from nine minutes to three. Support tickets fell by half.

        There were problems too. The importer choked on files over 2 MB, and we spent a weekend fixing it. It's fixed \
        now. We also learned that our pricing page confused people, so we're rewriting it.

        Next quarter we'll focus on collaboration. Expect shared drafts, comments and a calmer review flow. Thanks for \
        reading, and tell us what you don't like.
        """

    static func refine(_ body: String, _ instructions: String, title: String = "Our spring launch", tone: Tone? = nil,
                       keywords: [String] = [], topic: String? = nil, type: ContentType = .blogPost) async throws
        -> RefinedContent {
        try await OfflineContentGenerator().refine(.init(title: title, body: body, instructions: instructions,
                                                         contentType: type, tone: tone, keywords: keywords, topic: topic))
    }

    static func generated(_ type: ContentType = .blogPost, _ tone: Tone = .professional, words: Int = 400,
                          seed: GenerationSeed = 11) async throws -> GeneratedContent {
        try await OfflineContentGenerator().generate(.init(contentType: type, topic: "edge computing", tone: tone,
                                                           length: words, keywords: ["latency", "5G"], seed: seed))
    }

    /// The share of `text`'s sentences found word for word in `original`.
    static func originalShare(of text: String, in original: String) -> Double {
        let before = Set(Reading.sentences(of: original))
        let after = Reading.sentences(of: text)
        return Double(after.filter(before.contains).count) / Double(max(1, after.count))
    }

    @Test func askedForAbout80CasualWordsWithACallToActionItDoesAllOfIt() async throws {
        for tone in [Tone.professional, .formal, .informative] {
            let original = try await Self.generated(.blogPost, tone)
            let refined = try await Self.refine(original.body, "make it shorter, about 80 words, more casual, add a call to action",
                                                title: original.title, tone: tone, keywords: ["latency", "5G"],
                                                topic: "edge computing")
            let words = Reading.words(refined.body)
            #expect((72...88).contains(words), "\(tone): \(words) words")
            #expect(refined.tone == .casual)
            #expect(refined.notApplied.isEmpty, "\(refined.notApplied)")
            let last = try #require(Reading.sentences(of: refined.body).last)
            #expect(!Reading.sentences(of: original.body).contains(last), "a call to action ends it: \(last)")
            #expect(Reading.sentences(of: refined.body).first == Reading.sentences(of: original.body).first,
                    "the text is edited, not rewritten from the title")
        }
    }

    @Test(arguments: Tone.allCases)
    func about80WordsLandsWithinTenPercentWhateverTheText(tone: Tone) async throws {
        for type in ContentType.allCases {
            for words in [300, 1500] {
                let original = try await Self.generated(type, tone, words: words, seed: .integer(Int64(words)))
                let refined = try await Self.refine(original.body, "about 80 words", title: original.title, tone: tone,
                                                    keywords: ["latency", "5G"], topic: "edge computing", type: type)
                #expect((72...88).contains(Reading.words(refined.body)), "\(type) \(words): \(refined.notApplied)")
                #expect(refined.notApplied.isEmpty)
            }
        }
    }

    @Test func shorteningToHalfKeepsTheOriginalSentencesTheFirstAndTheKeywords() async throws {
        var texts: [(body: String, keywords: [String])] = [(Self.handWritten, ["collaboration"])]
        for (index, tone) in Tone.allCases.enumerated() {
            texts.append((try await Self.generated(index % 2 == 0 ? .article : .newsletter, tone, words: 600).body,
                          ["latency", "5G"]))
        }
        for (body, keywords) in texts {
            let refined = try await Self.refine(body, "half as long", keywords: keywords)
            let before = Reading.words(body), after = Reading.words(refined.body)
            #expect(abs(Double(after) - Double(before) / 2) <= Double(before) / 20, "\(after) words of \(before)")
            let share = Self.originalShare(of: refined.body, in: body)
            #expect(share >= 0.7, "only \(share) of the sentences are the original ones")
            #expect(Reading.sentences(of: refined.body).first == Reading.sentences(of: body).first)
            for keyword in keywords { #expect(refined.body.contains(keyword)) }
            #expect(refined.notApplied.isEmpty, "\(refined.notApplied)")
        }
    }

    @Test func aShorterHandWrittenTextKeepsMostOfItsSentences() async throws {
        let refined = try await Self.refine(Self.handWritten, "make it shorter")
        let before = Reading.sentences(of: Self.handWritten), after = Reading.sentences(of: refined.body)
        #expect(Reading.words(refined.body) < Reading.words(Self.handWritten))
        #expect(after.allSatisfy(before.contains), "no sentence is rewritten")
        #expect(Double(after.count) / Double(before.count) > 0.5, "\(after.count) of \(before.count) sentences kept")
        #expect(refined.body.contains("March 3") && refined.body.contains("40%"), "the figures are the information")
    }

    @Test func about80WordsOfAHandWrittenTextIsWithinTenPercent() async throws {
        let refined = try await Self.refine(Self.handWritten, "about 80 words please")
        #expect((72...88).contains(Reading.words(refined.body)), "\(Reading.words(refined.body)) words")
        #expect(Self.originalShare(of: refined.body, in: Self.handWritten) == 1)
    }

    @Test func lengtheningAddsNewSentencesOnTheTopicAndKeepsEveryOriginalOne() async throws {
        for (body, keywords) in [(Self.handWritten, ["collaboration"]), (try await Self.generated().body, ["latency", "5G"])] {
            let refined = try await Self.refine(body, "longer", keywords: keywords, topic: "spring launch")
            let before = Reading.words(body), after = Reading.words(refined.body)
            #expect(abs(Double(after) - 1.5 * Double(before)) <= 0.15 * Double(before), "\(after) words of \(before)")
            let kept = Reading.sentences(of: refined.body)
            #expect(Reading.sentences(of: body).allSatisfy(kept.contains), "every original sentence stays")
            #expect(Set(kept).count == kept.count, "no sentence twice")
            let added = kept.filter { !Reading.sentences(of: body).contains($0) }
            #expect(added.contains { $0.contains("spring launch") || keywords.contains(where: $0.contains) })
        }
    }

    @Test func aToneChangeRewritesTheMarkersAndKeepsWhatIsSaid() async throws {
        let formal = try await Self.refine(Self.handWritten, "make it more formal")
        #expect(formal.tone == .formal)
        #expect(formal.body != Self.handWritten)
        for contraction in ["It's", "we're", "we'll", "don't"] { #expect(!formal.body.contains(contraction)) }
        #expect(formal.body.contains("It is fixed now.") && formal.body.contains("we are rewriting it"))
        let before = Reading.sentences(of: Self.handWritten), after = Reading.sentences(of: formal.body)
        #expect(before.count == after.count)
        for (old, new) in zip(before, after) {
            // What a sentence says ends it still: only openers and contractions changed.
            let ending = old.split(separator: " ").suffix(2).joined(separator: " ")
            #expect(new.hasSuffix(ending) || new.contains("not"), "\(old) → \(new)")
        }

        let original = try await Self.generated(.blogPost, .formal)
        let enthusiastic = try await Self.refine(original.body, "enthusiastic", title: original.title, tone: .formal,
                                                 keywords: ["latency", "5G"], topic: "edge computing")
        #expect(enthusiastic.tone == .enthusiastic)
        #expect(enthusiastic.body.contains("!"))
        #expect(Reading.words(enthusiastic.body) >= Reading.words(original.body) * 9 / 10)
        #expect(Reading.sentences(of: enthusiastic.body).count == Reading.sentences(of: original.body).count)
    }

    @Test func whatItCannotDoIsNamedAndTheRestIsDone() async throws {
        let refined = try await Self.refine(Self.handWritten, "translate into French, make it shorter; add emojis")
        #expect(refined.notApplied.contains("translate into French"))
        #expect(refined.notApplied.contains("add emojis"))
        #expect(Reading.words(refined.body) < Reading.words(Self.handWritten))

        let impossible = try await Self.refine("One sentence only, and it stays.", "make it shorter")
        #expect(!impossible.notApplied.isEmpty)
        let unknown = try await Self.refine(Self.handWritten, "remove the jargon")
        #expect(unknown.notApplied == ["remove jargon (it is not in the text)"])
        #expect(unknown.body == Self.handWritten, "nothing asked could be done: the text is as it was")
    }

    @Test func keywordsAreAddedInsideSentencesAndRemovedWithTheirSentences() async throws {
        let original = try await Self.generated(.blogPost, .casual)
        let refined = try await Self.refine(original.body, "add keyword serverless; remove 5G", title: original.title,
                                            tone: .casual, keywords: ["latency", "5G"], topic: "edge computing")
        #expect(refined.keywords == ["latency", "serverless"])
        #expect(!refined.body.contains("5G"))
        #expect(Reading.sentences(of: refined.body).contains { $0.contains("serverless") && Reading.words($0) >= 5 })
        #expect(refined.body.contains("latency"))

        let post = try await Self.generated(.socialMedia, .friendly, words: 40)
        #expect(post.body.contains("#5G"))
        let untagged = try await Self.refine(post.body, "drop the keyword 5G", keywords: ["latency", "5G"],
                                             topic: "edge computing", type: .socialMedia)
        #expect(!untagged.body.contains("5G"), "\(untagged.body)")
    }

    @Test func theTitleCanBeSetOrFixed() async throws {
        let set = try await Self.refine(Self.handWritten, "title: Spring, Shipped; shorter")
        #expect(set.title == "Spring, Shipped")
        #expect(Reading.words(set.body) < Reading.words(Self.handWritten))
        let fixed = try await Self.refine(Self.handWritten, "fix the title", title: "our   spring launch.")
        #expect(fixed.title == "Our Spring Launch")
    }

    @Test func instructionsAreReadAsAnEditorWritesThem() {
        let all = RefineInstructions("Make it shorter, about 80 words, more casual, add a call to action")
        #expect(all.length == .words(80) && all.tone == .casual && all.callToAction && all.notUnderstood.isEmpty)
        #expect(RefineInstructions("half as long").length == .scale(0.5))
        #expect(RefineInstructions("a bit longer").length == .scale(1.2))
        #expect(RefineInstructions("under 100 words").length == .words(92))
        #expect(RefineInstructions("a 150-word version").length == .words(150))
        #expect(RefineInstructions("30% shorter").length == .scale(0.7))
        #expect(RefineInstructions("less formal").tone == .casual)
        #expect(RefineInstructions("in a friendly tone").tone == .friendly)
        let keywords = RefineInstructions("add keywords edge AI, 5G and IoT; remove the keyword cloud")
        #expect(keywords.addKeywords == ["edge AI", "5G", "IoT"])
        #expect(keywords.removeKeywords == ["cloud"])
        #expect(RefineInstructions("mention \"spring sale\"").addKeywords == ["spring sale"])
        #expect(RefineInstructions("add an example").example && RefineInstructions("add an example").addKeywords.isEmpty)
        let title = RefineInstructions("title: \"Edge, Up Close\", and make it formal")
        #expect(title.title == "Edge, Up Close" && title.tone == .formal)
        #expect(RefineInstructions("translate it into German").notUnderstood == ["translate it into German"])
        #expect(RefineInstructions("make it sound like Shakespeare").notUnderstood == ["make it sound like Shakespeare"])
    }

    @Test func aTextIsReadAsItsWriterWroteIt() async throws {
        #expect(Piece.sentences("Dr. Smith met J. K. Rowling at 3.5 p.m. in the U.S. office. “Great!” she said. Next.")
            == ["Dr. Smith met J. K. Rowling at 3.5 p.m. in the U.S. office.", "“Great!” she said.", "Next."])
        let email = "Hi Ann,\n\nThe plan:\n- ship the editor\n- fix the importer\n\nWe are late. It is fine. We will ship.\n\nBest,\nBo"
        let piece = Piece(email)
        #expect(piece.blocks.map(\.role) == [.greeting, .verbatim, .prose, .signOff])
        #expect(piece.text == email, "untouched, it is written back as it came")
        let casual = try await Self.refine(email, "more casual", type: .email)
        #expect(casual.body.hasPrefix("Hi Ann,\n\nThe plan:\n- ship the editor\n- fix the importer\n\n"))
        #expect(casual.body.hasSuffix("\n\nBest,\nBo"))
        #expect(casual.body.contains("We're late.") && casual.body.contains("It's fine."), "\(casual.body)")
    }

    @Test func theEngineRecordsTheNewToneKeywordsAndWhatWasNotApplied() async throws {
        let test = try TestEngine()
        defer { Task { await test.close() } }
        let alice = try await test.user("alice@example.com")
        let created = try await test.engine.createContent(
            .init(contentId: "cnt_hand", title: "Our spring launch", body: Self.handWritten, contentType: .blogPost,
                  tone: .professional, keywords: ["collaboration"]), by: alice)
        let refined = try await test.engine.refineContent("cnt_hand", instructions: "more casual, add keyword mobile app, rhyme it",
                                                          by: alice)
        #expect(refined.value.tone == .casual)
        #expect(refined.value.keywords == ["collaboration", "mobile app"])
        #expect(refined.value.notApplied == ["rhyme it"])
        let view = try #require(try await test.engine.read(ContentProjection.self, atLeast: refined.position) {
            try $0.content("cnt_hand", in: alice.workspaceId)
        })
        #expect(view.tone == .casual && view.keywords == ["collaboration", "mobile app"] && view.version == 2)
        #expect(view.body.hasPrefix("Our spring launch went better than we hoped."))
        _ = created
    }
}
