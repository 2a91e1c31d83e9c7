import Foundation
import SmartContentDomain

/// Writes text offline from a bank of phrases: grammatical sentences built from parts, none
/// repeated within a piece, every keyword inside a sentence, in the tone, framed for the
/// content type, of the requested length (±10 %, by choosing whole sentences). A seed makes
/// it reproducible; without one each request gives other text.
public struct OfflineContentGenerator: ContentGenerator {
    public static let name = "offline"
    public static let model = "smartcontent-offline-2"

    public init() {}

    public func generate(_ request: GenerationRequest) async throws -> GeneratedContent {
        Self.generate(request)
    }

    /// The work of ``generate(_:)``, synchronous: it takes microseconds to milliseconds.
    static func generate(_ request: GenerationRequest) -> GeneratedContent {
        // The tone and type stir the seed, so that one seed gives each its own text.
        let seed = (request.seed?.bits ?? UInt64.random(in: .min ... .max))
            ^ SplitMix64.seed(request.tone.rawValue + "|" + request.contentType.rawValue)
        var composer = Composer(tone: request.tone, topic: request.topic, keywords: request.keywords,
                                audience: request.targetAudience, random: SplitMix64(seed: seed))
        let title = composer.title(topic: request.topic)
        let body = composer.piece(words: request.length, contentType: request.contentType)
        return GeneratedContent(
            title: title, body: body,
            parameters: GenerationParameters(generator: name, model: model, topic: request.topic, length: request.length,
                                             targetAudience: request.targetAudience))
    }

    public func refine(_ request: RefinementRequest) async throws -> RefinedContent {
        Self.refine(request)
    }

    /// Edits the text, never writing it anew: see ``RefineInstructions`` for what it
    /// understands. The same request gives the same edit.
    static func refine(_ request: RefinementRequest) -> RefinedContent {
        let instructions = RefineInstructions(request.instructions)
        var notApplied = instructions.notUnderstood
        var piece = Piece(request.body)
        let originalWords = piece.words
        let tone = instructions.tone ?? request.tone ?? .professional
        let topic = request.topic ?? topic(inTitle: request.title)
        var keywords = request.keywords
        var composer = Composer(tone: tone, topic: topic, keywords: [], audience: nil,
                                random: SplitMix64(seed: SplitMix64.seed(request.body + "\u{1}" + request.instructions)))
        composer.written = Set(piece.sentencePlaces.map { piece[$0].text })
        composer.noteUses(in: request.body)

        var title = request.title
        if let asked = instructions.title {
            title = asked
        } else if instructions.fixTitle {
            title = fixed(title: title)
        }

        for keyword in instructions.removeKeywords {
            let listed = keywords.contains { $0.caseInsensitiveCompare(keyword) == .orderedSame }
            keywords.removeAll { $0.caseInsensitiveCompare(keyword) == .orderedSame }
            let removedTags = piece.removeHashtag(keyword)
            var places = piece.sentencePlaces.filter { Piece.mentions(piece[$0].text, keyword) }
            let mentioned = !places.isEmpty
            // A keyword in a list leaves the list; a sentence about it goes.
            places = places.filter { place in
                guard let shorter = Piece.withoutListItem(keyword, in: piece[place].text) else { return true }
                piece[place] = Piece.Sentence(text: shorter, words: Phrase.wordCount(shorter))
                return false
            }
            if places.isEmpty {
                if !listed && !removedTags && !mentioned { notApplied.append("remove \(keyword) (it is not in the text)") }
            } else if places.count == piece.sentencePlaces.count {
                notApplied.append("remove \(keyword) (every sentence is about it)")
            } else {
                piece.remove(places)
            }
        }

        if let tone = instructions.tone { piece.retone(to: tone, composer: &composer) }

        for (turn, keyword) in instructions.addKeywords.enumerated() {
            guard Validation.keywordLength.contains(keyword.count) else {
                notApplied.append("add keyword \(keyword) (a keyword is at most \(Validation.keywordLength.upperBound) characters)")
                continue
            }
            if !keywords.contains(where: { $0.caseInsensitiveCompare(keyword) == .orderedSame }) {
                guard keywords.count < Validation.maxKeywords else {
                    notApplied.append("add keyword \(keyword) (content has at most \(Validation.maxKeywords) keywords)")
                    continue
                }
                keywords.append(keyword)
            }
            guard !piece.mentions(keyword) else { continue }
            guard let sentence = composer.statement(focus: Composer.Focus([keyword]), desired: composer.random.within(10...18))
            else { continue }
            let block = piece.blockForNewSentence(turn: turn)
            piece.insert(Piece.Sentence(text: sentence.text, words: sentence.words, isNew: true), inBlock: block, at: 1)
        }

        if instructions.example {
            let focus = Composer.Focus([keywords.first ?? topic])
            if let sentence = composer.example(focus: focus) {
                let prose = piece.proseIndices
                let block = prose.isEmpty ? piece.blockForNewSentence(turn: 0) : prose[prose.count / 2]
                let count = piece.blocks[block].sentences.count
                piece.insert(Piece.Sentence(text: sentence.text, words: sentence.words, isNew: true), inBlock: block,
                             at: block == prose.last && count > 1 ? count - 1 : count)
            }
        }

        if instructions.callToAction, let sentence = composer.callToAction(focus: Composer.Focus([topic])) {
            let block = piece.lastProse ?? piece.blockForNewSentence(turn: 0)
            piece.insert(Piece.Sentence(text: sentence.text, words: sentence.words, isNew: true), inBlock: block,
                         at: piece.blocks[block].sentences.count)
        }

        if let length = instructions.length {
            var target = switch length {
            case .words(let words): words
            case .scale(let scale): Int((Double(originalWords) * scale).rounded())
            }
            if target > Validation.maxGenerationWords {
                notApplied.append("\(instructions.lengthClause) (at most \(Validation.maxGenerationWords) words)")
                target = Validation.maxGenerationWords
            }
            target = max(1, target)
            for keyword in keywords where !composer.keywords.contains(keyword) { composer.addKeyword(keyword) }
            let shortening = piece.words > target
            if shortening {
                piece.shorten(to: target, keywords: keywords)
            } else if piece.words < target {
                composer.setKeywordsPerSentence(max(1, (target - piece.words) / 17))
                piece.lengthen(to: target, composer: &composer)
            }
            let reached = piece.words
            if abs(reached - target) * 10 > target {
                let why = switch (shortening, reached > target) {
                case (true, true): "the first sentence, those with the keywords and what was added are kept"
                case (true, false): "no set of whole sentences comes closer"
                default: "no more sentences could be written"
                }
                notApplied.append("\(instructions.lengthClause) (reached \(reached) words, not about \(target): \(why))")
            }
        }

        let body = piece.text
        return RefinedContent(
            title: title, body: body.isEmpty ? request.body : body, tone: instructions.tone ?? request.tone,
            keywords: keywords, notApplied: notApplied,
            parameters: GenerationParameters(generator: name, model: model, topic: topic, length: Phrase.wordCount(body)))
    }

    /// What a title is about: a generated title without its frame ("A Practical Guide to
    /// Edge Computing" → "Edge Computing"), or the title itself.
    static func topic(inTitle title: String) -> String {
        for tone in Tone.allCases {
            for phrase in PhraseBank.voice(tone).titles where title.count > phrase.head.count + phrase.tail.count {
                if title.hasPrefix(phrase.head), title.hasSuffix(phrase.tail), !(phrase.head + phrase.tail).isEmpty {
                    return String(title.dropFirst(phrase.head.count).dropLast(phrase.tail.count))
                }
            }
        }
        return title
    }

    /// A title tidied: single spaces, no closing full stop, title case.
    static func fixed(title: String) -> String {
        var title = title.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        while title.hasSuffix(".") { title.removeLast() }
        return Composer.titleCase(title).isEmpty ? title : Composer.titleCase(title)
    }
}
