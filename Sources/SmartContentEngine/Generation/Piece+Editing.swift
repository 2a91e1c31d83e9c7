import Foundation
import SmartContentDomain

/// The edits refine makes: dropping sentences, adding sentences, changing the tone of
/// sentences. Each keeps what the others wrote.
extension Piece {
    // MARK: Shortening

    /// Drops whole sentences, the least informative first, until the text is about
    /// `target` words. Keeps the first sentence, the sentences this refinement wrote and,
    /// for each keyword, the first sentence that holds it.
    mutating func shorten(to target: Int, keywords: [String]) {
        let places = sentencePlaces
        guard places.count > 1 else { return }
        var kept = Set<Int>([0])
        for index in places.indices where self[places[index]].isNew { kept.insert(index) }
        for keyword in keywords {
            if let index = places.indices.first(where: { Self.mentions(self[places[$0]].text, keyword) }) { kept.insert(index) }
        }
        let texts = places.map { self[$0].text }
        var scores = Self.informativeness(texts)
        // A paragraph's first sentence says what it is about: it goes later.
        for (index, place) in places.enumerated() where place.sentence == 0 { scores[index] += 0.3 }
        let candidates = places.indices.filter { !kept.contains($0) }
            .sorted { scores[$0] != scores[$1] ? scores[$0] < scores[$1] : $0 > $1 }

        var total = words
        let tolerance = max(1, target * 7 / 100)
        var dropped: [Int] = []
        var droppedSet = Set<Int>()
        // Least informative first, skipping any whose removal would fall short of the target.
        for index in candidates {
            if total <= target + tolerance { break }
            let size = self[places[index]].words
            if total - size >= target - tolerance {
                dropped.append(index)
                droppedSet.insert(index)
                total -= size
            }
        }
        // Still too long: whatever brings it closest.
        for index in candidates where !droppedSet.contains(index) {
            if total <= target + tolerance { break }
            let size = self[places[index]].words
            if abs(total - size - target) < abs(total - target) {
                dropped.append(index)
                droppedSet.insert(index)
                total -= size
            }
        }
        // Still off: a sentence taken back, one more dropped, or one swapped for another,
        // whichever comes closest (a few rounds; the texts are at most a few hundred sentences).
        for _ in 0..<3 where abs(total - target) > tolerance {
            let kept = candidates.filter { !droppedSet.contains($0) }
            func size(_ index: Int) -> Int { self[places[index]].words }
            var best = (distance: abs(total - target), back: -1, out: -1)
            for back in [-1] + dropped {
                for out in [-1] + kept {
                    let distance = abs(total + (back < 0 ? 0 : size(back)) - (out < 0 ? 0 : size(out)) - target)
                    if distance < best.distance { best = (distance, back, out) }
                }
            }
            guard best.back >= 0 || best.out >= 0 else { break }
            if best.back >= 0 {
                total += size(best.back)
                dropped.removeAll { $0 == best.back }
                droppedSet.remove(best.back)
            }
            if best.out >= 0 {
                total -= size(best.out)
                dropped.append(best.out)
                droppedSet.insert(best.out)
            }
        }
        remove(dropped.map { places[$0] })
    }

    static let stopWords: Set<String> = [
        "the", "and", "for", "that", "with", "this", "from", "are", "was", "were", "will", "would", "can", "could",
        "should", "has", "have", "had", "not", "but", "you", "your", "our", "their", "they", "them", "its", "it's",
        "who", "what", "when", "where", "which", "why", "how", "all", "any", "each", "every", "more", "most", "much",
        "many", "some", "such", "than", "then", "there", "here", "into", "onto", "about", "over", "also", "just",
        "very", "really", "one", "two", "does", "did", "been", "being", "because", "while", "after", "before",
        "these", "those", "what's", "that's", "there's", "here's", "let's", "we're", "you're", "they're", "don't",
        "doesn't", "isn't", "aren't", "won't", "can't", "may", "might", "must", "shall", "his", "her", "she", "him",
        "out", "off", "too", "yet", "own", "same", "other", "others", "between", "through", "during", "without",
        "within", "upon", "again", "once", "only", "both", "either", "neither", "even", "still", "well", "get", "got",
        "make", "makes", "made", "keep", "keeps", "way", "ways", "thing", "things",
    ]

    /// How much each sentence says that the others do not: the words only it uses count
    /// most, figures and names count extra; per square root of its length, so that a long
    /// sentence must say more to be worth its words.
    static func informativeness(_ sentences: [String]) -> [Double] {
        let contents: [Set<String>] = sentences.map { sentence in
            Set(words(sentence.lowercased()).filter { $0.unicodeScalars.count >= 3 && !stopWords.contains($0) })
        }
        var frequency: [String: Int] = [:]
        for content in contents { for word in content { frequency[word, default: 0] += 1 } }
        return sentences.indices.map { index in
            var score = contents[index].reduce(0.0) { $0 + 1 / Double(frequency[$1]!) }
            let tokens = words(sentences[index])
            if tokens.contains(where: { $0.unicodeScalars.first?.properties.numericType != nil }) { score += 0.5 }
            let names = tokens.dropFirst().filter { $0.unicodeScalars.first?.properties.isUppercase == true }.count
            score += min(1, 0.3 * Double(names))
            return score / Double(max(1, Phrase.wordCount(sentences[index]))).squareRoot()
        }
    }

    /// The runs of letters, digits and apostrophes.
    static func words(_ text: String) -> [String] {
        var words: [String] = []
        var current = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            let inWord = scalar.isASCII
                ? (scalar.value >= 0x61 && scalar.value <= 0x7A) || (scalar.value >= 0x41 && scalar.value <= 0x5A)
                    || (scalar.value >= 0x30 && scalar.value <= 0x39) || scalar == "'"
                : scalar.properties.isAlphabetic || scalar.properties.numericType != nil || scalar == "’"
            if inWord {
                current.append(scalar)
            } else if !current.isEmpty {
                words.append(String(current))
                current = String.UnicodeScalarView()
            }
        }
        if !current.isEmpty { words.append(String(current)) }
        return words
    }

    static func mentions(_ text: String, _ term: String) -> Bool {
        guard !term.isEmpty else { return false }
        var searchRange = text.startIndex..<text.endIndex
        while let found = text.range(of: term, options: [.caseInsensitive], range: searchRange) {
            let before = found.lowerBound == text.startIndex ? " " : text[text.index(before: found.lowerBound)]
            let after = found.upperBound == text.endIndex ? " " : text[found.upperBound]
            if !before.isLetter && !before.isNumber && !after.isLetter && !after.isNumber { return true }
            searchRange = found.upperBound..<text.endIndex
        }
        return false
    }

    /// The sentence without `term` where it is an item of a list ("a, b and c" → "a and
    /// c"), or `nil` when it is not (or is mentioned again elsewhere in the sentence).
    static func withoutListItem(_ term: String, in text: String) -> String? {
        let forms: [(String, String)] = [(", \(term),", ","), (", \(term) and ", " and "), ("\(term), ", "")]
        for (pattern, replacement) in forms {
            guard let range = text.range(of: pattern, options: .caseInsensitive) else { continue }
            if pattern.hasPrefix(term), !text[range.upperBound...].contains(" and ") { continue }
            let result = text.replacingCharacters(in: range, with: replacement)
            return mentions(result, term) ? nil : result
        }
        // "a, b and term." → "a and b."; "a and term." → "a."
        for end in [".", "!", "?", ","] {
            guard let range = text.range(of: " and \(term)\(end)", options: [.caseInsensitive, .backwards]) else { continue }
            var before = String(text[..<range.lowerBound])
            if let comma = before.range(of: ", ", options: .backwards),
               Phrase.wordCount(before[comma.upperBound...]) <= 4 {
                before.replaceSubrange(comma, with: " and ")
            }
            let result = before + end + text[range.upperBound...]
            return mentions(result, term) ? nil : result
        }
        return nil
    }

    func mentions(_ term: String) -> Bool {
        blocks.contains { block in
            block.role == .prose ? block.sentences.contains { Self.mentions($0.text, term) } : Self.mentions(block.original, term)
        }
    }

    // MARK: Lengthening

    /// Adds new sentences on the topic until the text is `target` words: a few go into the
    /// last paragraph, more make new paragraphs before it.
    mutating func lengthen(to target: Int, composer: inout Composer) {
        var need = target - words
        guard need > 0 else { return }
        var added: [Sentence] = []
        var gaveExample = false
        while need > 0 {
            var sentence: Composer.Sentence?
            if need <= Composer.finalSentenceWords {
                sentence = composer.statement(focus: composer.allPendingKeywords() ?? composer.nextFocus(required: false),
                                              desired: need, exact: true)
            } else {
                let desired = need <= 2 * Composer.finalSentenceWords
                    ? need - composer.random.within(10...18) : composer.random.within(8...24)
                let roll = composer.random.below(100)
                if roll < 25, let focus = composer.nextFocus(required: true) {
                    if roll < 10 && !gaveExample {
                        gaveExample = true
                        sentence = composer.example(focus: focus)
                    } else {
                        sentence = composer.instruction(focus: focus, desired: desired)
                    }
                    // Fixed lengths must leave room for a last sentence.
                    if let found = sentence, need - found.words < 10 { sentence = nil }
                    if sentence == nil { composer.restore(focus) }
                }
                if sentence == nil {
                    let focus = composer.nextFocus(required: false)
                    sentence = composer.statement(focus: focus, desired: desired)
                    if sentence == nil { composer.restore(focus) }
                }
            }
            guard let sentence else { break }
            added.append(Sentence(text: sentence.text, words: sentence.words, isNew: true))
            need -= sentence.words
            if need < 4 { break }
        }
        guard !added.isEmpty else { return }
        let prose = proseIndices
        if added.count < 3, let last = prose.last {
            // Before the closing sentence of the last paragraph, if it has one.
            let count = blocks[last].sentences.count
            for (offset, sentence) in added.enumerated() {
                insert(sentence, inBlock: last, at: count > 1 ? count - 1 + offset : count + offset)
            }
            return
        }
        var paragraphs: [[Sentence]] = []
        var rest = added[...]
        while !rest.isEmpty {
            let size = rest.count <= 6 ? rest.count : composer.random.within(3...5)
            paragraphs.append(Array(rest.prefix(size)))
            rest = rest.dropFirst(size)
        }
        var position = prose.count >= 2 ? prose.last! : (prose.last.map { $0 + 1 } ?? endOfProse)
        for paragraph in paragraphs {
            insertParagraph(paragraph, before: position)
            position += 1
        }
    }

    /// Where a new paragraph goes when there is no prose: before the sign-off and hashtags.
    var endOfProse: Int {
        var index = blocks.count
        while index > 0, [.signOff, .hashtags].contains(blocks[index - 1].role) { index -= 1 }
        return index
    }

    /// The block a sentence about something new goes in (after the first sentence): the
    /// `turn`-th paragraph, or a new one.
    mutating func blockForNewSentence(turn: Int) -> Int {
        let prose = proseIndices
        if !prose.isEmpty { return prose[turn % prose.count] }
        let index = endOfProse
        blocks.insert(Block(role: .prose, sentences: [], original: "", edited: true), at: index)
        return index
    }

    // MARK: Tone

    /// Openers refine takes off before writing another tone's: every tone's, and the
    /// commonest of hand-written text.
    static let strippableOpeners: [String] = (PhraseBank.allOpeners + [
        "Honestly,", "Frankly,", "Basically,", "Well,", "So,", "Look,", "Actually,", "Moreover,", "Furthermore,",
        "Additionally,", "In addition,", "Also,", "Plus,",
    ]).sorted { $0.count > $1.count }

    /// The openers by their first word, each with the space that follows it.
    static let openersByFirstWord: [Substring: [String]] = {
        var byWord: [Substring: [String]] = [:]
        for opener in strippableOpeners {
            byWord[opener.split(separator: " ")[0], default: []].append(opener + " ")
        }
        return byWord
    }()

    /// Words a statement starts with that an opener may precede (lower-cased).
    static let declarativeStarts: Set<String> = [
        "a", "an", "the", "this", "these", "those", "every", "each", "most", "many", "some", "our", "your",
        "their", "its", "it", "we", "you", "they", "there", "teams", "people", "one", "good", "great", "small",
        "clear", "careful", "honest", "shared", "regular", "open", "patient", "steady", "early", "practical",
        "modest", "single", "fresh", "common", "simple", "short", "calm", "agreed", "monthly", "quarterly",
    ]

    /// Rewrites every sentence this refinement did not write in `tone`: the old tone's
    /// openers go, every third statement gets one of the new tone's, contractions and
    /// exclamation marks follow the tone. What the sentences say stays.
    mutating func retone(to tone: Tone, composer: inout Composer) {
        var count = 0
        for place in sentencePlaces where !self[place].isNew {
            let original = self[place].text
            var text = Self.withoutOpener(original)
            text = Self.punctuated(text, for: tone, index: count)
            text = Self.contracted(text, for: tone)
            if count % 3 == 1, Self.takesOpener(text) {
                text = composer.opener() + " " + Self.lowercasedFirstWord(text)
            }
            if text != original { self[place] = Sentence(text: text, words: Phrase.wordCount(text)) }
            count += 1
        }
    }

    static func withoutOpener(_ text: String) -> String {
        guard let first = text.split(separator: " ", maxSplits: 1).first, let openers = openersByFirstWord[first] else {
            return text
        }
        for opener in openers where text.hasPrefix(opener) {
            var rest = String(text.dropFirst(opener.count))
            if let firstWord = rest.split(separator: " ").first, !firstWord.contains(where: \.isUppercase) {
                Composer.capitalizeFirst(&rest)
            }
            return rest
        }
        return text
    }

    static func takesOpener(_ text: String) -> Bool {
        guard !text.hasSuffix("?"), !text.contains(":"), let first = text.split(separator: " ").first, first.first?.isUppercase == true else {
            return false
        }
        return declarativeStarts.contains(first.lowercased())
    }

    static func lowercasedFirstWord(_ text: String) -> String {
        guard let first = text.first else { return text }
        return first.lowercased() + text.dropFirst()
    }

    /// Exclamation marks on a third of the statements when enthusiastic, none when formal,
    /// professional or informative.
    static func punctuated(_ text: String, for tone: Tone, index: Int) -> String {
        if tone == .enthusiastic, text.hasSuffix("."), index % 3 == 0 { return String(text.dropLast()) + "!" }
        if [.professional, .formal, .informative].contains(tone), text.hasSuffix("!") { return String(text.dropLast()) + "." }
        return text
    }

    static let expansions: [String: String] = [
        "don't": "do not", "doesn't": "does not", "didn't": "did not", "can't": "cannot", "won't": "will not",
        "isn't": "is not", "aren't": "are not", "wasn't": "was not", "weren't": "were not", "haven't": "have not",
        "hasn't": "has not", "shouldn't": "should not", "wouldn't": "would not", "couldn't": "could not",
        "it's": "it is", "that's": "that is", "there's": "there is", "here's": "here is", "what's": "what is",
        "let's": "let us", "you're": "you are", "we're": "we are", "they're": "they are", "you'll": "you will",
        "we'll": "we will", "they'll": "they will", "i'm": "I am", "you've": "you have", "we've": "we have",
        "they've": "they have", "i've": "I have", "i'll": "I will", "it'll": "it will",
    ]

    /// Pairs contracted in a relaxed tone; only before another word ("you are right" →
    /// "you're right", never "who you are." → "who you're.").
    /// The first words of ``contractions``' pairs, lower-cased.
    static let contractionStarts: Set<String> = ["do", "does", "did", "cannot", "will", "is", "are", "you", "we", "they",
                                                 "there", "it"]

    static let contractions: [String: String] = [
        "do not": "don't", "does not": "doesn't", "did not": "didn't", "cannot": "can't", "will not": "won't",
        "is not": "isn't", "are not": "aren't", "you are": "you're", "we are": "we're", "they are": "they're",
        "you will": "you'll", "we will": "we'll", "there is": "there's", "it is": "it's",
    ]

    /// Contractions expanded for formal, professional and informative text, made for casual,
    /// friendly, humorous and enthusiastic text; persuasive text keeps its own.
    static func contracted(_ text: String, for tone: Tone) -> String {
        var tokens = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        func split(_ token: String) -> (word: String, tail: String) {
            let word = token.prefix { $0.isLetter || $0 == "'" || $0 == "’" }
            return (String(word), String(token.dropFirst(word.count)))
        }
        func cased(_ replacement: String, like original: String) -> String {
            original.first?.isUppercase == true ? replacement.prefix(1).uppercased() + replacement.dropFirst() : replacement
        }
        switch tone {
        case .formal, .professional, .informative:
            tokens = tokens.map { token in
                let (word, tail) = split(token)
                guard word.contains("'") || word.contains("’") else { return token }
                let key = String(word.lowercased().map { $0 == "’" ? "'" : $0 })
                guard let expanded = expansions[key] else { return token }
                return cased(expanded, like: word) + tail
            }
        case .casual, .friendly, .humorous, .enthusiastic:
            var result: [String] = []
            var index = 0
            while index < tokens.count {
                if index + 2 < tokens.count, contractionStarts.contains(tokens[index].lowercased()) {
                    let (first, firstTail) = split(tokens[index])
                    let (second, secondTail) = split(tokens[index + 1])
                    if firstTail.isEmpty, secondTail.isEmpty,
                       let contracted = contractions[(first + " " + second).lowercased()] {
                        result.append(cased(contracted, like: first))
                        index += 2
                        continue
                    }
                }
                if tokens[index].lowercased() == "cannot", index + 1 < tokens.count {
                    result.append(cased("can't", like: tokens[index]))
                } else {
                    result.append(tokens[index])
                }
                index += 1
            }
            tokens = result
        case .persuasive:
            break
        }
        return tokens.joined(separator: " ")
    }
}
