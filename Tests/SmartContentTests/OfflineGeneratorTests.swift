import Foundation
import SmartContent
import SmartContentDomain
import SmartContentTesting
import Testing

/// What a reader of generated text notices: repeated sentences, sentences cut short,
/// keywords dropped in as a list, a length far from the one asked, the same text twice.
@Suite struct OfflineGeneratorTests {
    static let keywords = ["latency", "5G", "IoT devices"]

    static func generate(_ type: ContentType, _ tone: Tone, words: Int, keywords: [String] = keywords,
                         seed: GenerationSeed? = nil) async throws -> String {
        try await OfflineContentGenerator().generate(.init(contentType: type, topic: "edge computing", tone: tone,
                                                           length: words, keywords: keywords, targetAudience: "CTOs",
                                                           seed: seed)).body
    }

    @Test(arguments: Tone.allCases)
    func noSentenceIsRepeatedWithinAPiece(tone: Tone) async throws {
        for type in ContentType.allCases {
            for words in [200, 1200, 5000] {
                let sentences = Reading.sentences(of: try await Self.generate(type, tone, words: words, seed: 7))
                let ratio = Double(Set(sentences).count) / Double(sentences.count)
                #expect(ratio == 1, "\(tone) \(type) \(words) words: \(sentences.count) sentences, distinct ratio \(ratio)")
            }
        }
    }

    @Test(arguments: Tone.allCases)
    func everySentenceIsWhole(tone: Tone) async throws {
        for type in ContentType.allCases {
            for words in [Validation.generationWords(for: type).lowerBound, 37, 150, 640, 2500] {
                for sentence in Reading.sentences(of: try await Self.generate(type, tone, words: words)) {
                    #expect(".!?".contains(sentence.last!), "\(tone) \(type) \(words): unfinished: \(sentence)")
                    let last = sentence.dropLast().split(separator: " ").last.map { $0.lowercased() } ?? ""
                    #expect(!Reading.functionWords.contains(last), "\(tone) \(type) \(words): ends mid-phrase: \(sentence)")
                    #expect(sentence.split(separator: " ").count >= 3, "\(tone) \(type) \(words): a fragment: \(sentence)")
                }
            }
        }
    }

    @Test(arguments: ContentType.allCases)
    func everyKeywordIsUsedInsideASentence(type: ContentType) async throws {
        for tone in Tone.allCases {
            for words in [Validation.generationWords(for: type).lowerBound, 120, 900] {
                let body = try await Self.generate(type, tone, words: words)
                #expect(!body.contains("Key points"))
                let sentences = Reading.sentences(of: body)
                for keyword in Self.keywords {
                    // A real sentence: the keyword and at least four other words around it.
                    let inSentence = sentences.contains { sentence in
                        sentence.contains(keyword) && Reading.words(sentence) >= Reading.words(keyword) + 4
                    }
                    #expect(inSentence, "\(type) \(tone) \(words): '\(keyword)' is not inside a sentence:\n\(body)")
                }
                #expect(sentences.first.map { $0.contains("edge computing") } == true,
                        "\(type) \(tone) \(words): the first sentence does not name the topic")
            }
        }
    }

    @Test func everyLengthFromASocialPostToFiveThousandWordsIsWithinTenPercent() async throws {
        let test = try TestEngine()
        defer { Task { await test.close() } }
        let alice = try await test.user("alice@example.com")
        var worst = 0.0
        for (index, type) in ContentType.allCases.enumerated() {
            let minimum = Validation.generationWords(for: type).lowerBound
            for words in [10, 12, 20, 33, 50, 64, 100, 137, 250, 499, 1000, 2222, 5000] where words >= minimum {
                let tone = Tone.allCases[(index + words) % Tone.allCases.count]
                let request = GenerationRequest(contentType: type, topic: "edge computing", tone: tone, length: words,
                                                keywords: ["latency", "5G"])
                let created = try await test.engine.generateContent(request, by: alice).value
                let count = Reading.words(created.body)
                let error = abs(Double(count - words)) / Double(words)
                worst = max(worst, error)
                #expect(error <= 0.1, "\(type) \(tone): \(count) words for \(words) asked")
            }
        }
        #expect(worst <= 0.1, "worst length error \(worst)")
    }

    @Test func aShortPostWithManyKeywordsDropsItsFrameBeforeItsLength() async throws {
        let keywords = ["IoT devices", "edge AI", "data privacy", "cost"]
        for type in [ContentType.adCopy, .socialMedia, .email] {
            for tone in Tone.allCases {
                for words in [20, 28, 50] where words >= Validation.generationWords(for: type).lowerBound {
                    let body = try await Self.generate(type, tone, words: words, keywords: keywords)
                    #expect(abs(Reading.words(body) - words) * 10 <= words, "\(type) \(tone): \(Reading.words(body)) for \(words)")
                    let sentences = Reading.sentences(of: body)
                    for keyword in keywords { #expect(sentences.contains { $0.contains(keyword) }, "\(type) \(tone) \(words): \(keyword)") }
                }
            }
        }
    }

    @Test func theShortestLengthDependsOnTheContentTypeAndTheErrorSaysWhich() async throws {
        let test = try TestEngine()
        defer { Task { await test.close() } }
        let alice = try await test.user("alice@example.com")
        for (type, minimum) in [(ContentType.socialMedia, 10), (.adCopy, 10), (.email, 50), (.productDescription, 50),
                                (.blogPost, 100), (.article, 100), (.newsletter, 100)] {
            #expect(Validation.generationWords(for: type) == minimum...5000)
            _ = try await test.engine.generateContent(.init(contentType: type, topic: "t", length: minimum), by: alice)
            for words in [minimum - 1, 5001] {
                await #expect { try await test.engine.generateContent(.init(contentType: type, topic: "t", length: words), by: alice) }
                    throws: { error in
                        guard let error = error as? DomainError else { return false }
                        return error.details["field"] == "length" && error.message.contains(type.rawValue)
                            && error.message.contains("\(minimum) to 5000")
                    }
            }
        }
    }

    @Test func eachRequestGivesOtherTextUnlessItCarriesASeed() async throws {
        for type in [ContentType.socialMedia, .blogPost] {
            let one = try await Self.generate(type, .casual, words: 120)
            let two = try await Self.generate(type, .casual, words: 120)
            #expect(one != two)
            for seed: GenerationSeed in [42, "spring campaign"] {
                let first = try await Self.generate(type, .casual, words: 120, seed: seed)
                let again = try await Self.generate(type, .casual, words: 120, seed: seed)
                #expect(first == again, "seed \(seed)")
            }
            #expect(try await Self.generate(type, .casual, words: 120, seed: 42)
                != (try await Self.generate(type, .casual, words: 120, seed: 43)))
        }
    }

    @Test func theSeedIsAnIntegerOrAString() throws {
        let decoder = JSONDecoder()
        func request(_ seed: String) throws -> GenerationRequest {
            try decoder.decode(GenerationRequest.self, from: Data(#"{"contentType":"email","topic":"t","length":80,"seed":\#(seed)}"#.utf8))
        }
        #expect(try request("42").seed == .integer(42))
        #expect(try request(#""abc""#).seed == .text("abc"))
        #expect(throws: DecodingError.self) { try request("1.5") }
        #expect(throws: DecodingError.self) { try request("[1]") }
    }
}

/// How a reader sees a text: its prose (not the greeting, sign-off or hashtags), its
/// sentences, its words.
enum Reading {
    /// Words after which a sentence cannot end: prepositions, articles, conjunctions.
    static let functionWords: Set<String> = [
        "a", "an", "the", "to", "of", "for", "with", "and", "or", "but", "in", "on", "at", "by", "from", "into",
        "about", "because", "that", "which", "so", "as", "than", "if", "when", "while", "its", "your", "our", "their",
    ]

    static func words(_ text: some StringProtocol) -> Int { text.split(whereSeparator: \.isWhitespace).count }

    /// The paragraphs that are prose: not a greeting ("Hi there,"), a sign-off ("Best
    /// regards,\nThe team") or a line of hashtags.
    static func prose(_ body: String) -> [String] {
        body.components(separatedBy: "\n\n").filter { block in
            let lines = block.split(separator: "\n")
            if lines.first?.hasSuffix(",") == true && words(lines[0]) <= 4 { return false }
            if block.split(whereSeparator: \.isWhitespace).allSatisfy({ $0.hasPrefix("#") }) { return false }
            return true
        }
    }

    /// Sentences: text up to `.`, `!` or `?` followed by a space or the end of a paragraph;
    /// whatever follows the last one is a sentence too (an unfinished one).
    static func sentences(of body: String) -> [String] {
        var sentences: [String] = []
        for paragraph in prose(body) {
            var current = ""
            let characters = Array(paragraph)
            for (index, character) in characters.enumerated() {
                current.append(character)
                let atEnd = index + 1 == characters.count || characters[index + 1].isWhitespace
                if ".!?".contains(character) && atEnd {
                    sentences.append(current.trimmingCharacters(in: .whitespacesAndNewlines))
                    current = ""
                }
            }
            let rest = current.trimmingCharacters(in: .whitespacesAndNewlines)
            if !rest.isEmpty { sentences.append(rest) }
        }
        return sentences
    }
}
