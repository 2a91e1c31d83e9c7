import EventLog

extension ContentCreated {
    /// Reads the `data` of an import line in place (see ``JSONScanner``): the event the
    /// catalog's decoder reads from the same JSON, or `nil` for anything outside the common
    /// shape (unknown or repeated keys, numbers other than plain integers), left to it.
    init?(scanning data: UnsafeRawBufferPointer) {
        var contentId: ContentID?, workspaceId: WorkspaceID?, authorId: UserID?, title: String?, body: String?
        var contentType: ContentType?, tone: Tone?, keywords: [String] = [], generated: GenerationParameters?
        var scanner = JSONScanner(data)
        let complete = scanner.fields(Self.jsonKeys) { index, scanner in
            if index >= 6, scanner.consumeNull() { return true }  // tone, keywords and generated may be null
            switch index {
            case 0: contentId = scanner.id(); return contentId != nil
            case 1: workspaceId = scanner.id(); return workspaceId != nil
            case 2: authorId = scanner.id(); return authorId != nil
            case 3: title = scanner.string(); return title != nil
            case 4: body = scanner.string(); return body != nil
            case 5:
                guard let bytes = scanner.plainString() else { return false }
                contentType = ContentType(rawValue: String(decoding: bytes, as: UTF8.self))
                return contentType != nil
            case 6:
                guard let bytes = scanner.plainString() else { return false }
                tone = Tone(rawValue: String(decoding: bytes, as: UTF8.self))
                return tone != nil
            case 7:
                return scanner.elements { scanner in
                    guard let keyword = scanner.string() else { return false }
                    keywords.append(keyword)
                    return true
                }
            default:
                generated = GenerationParameters(scanning: &scanner)
                return generated != nil
            }
        }
        scanner.skipWhitespace()
        guard complete, scanner.isAtEnd, let contentId, let workspaceId, let authorId, let title, let body, let contentType
        else { return nil }
        self.init(contentId: contentId, workspaceId: workspaceId, authorId: authorId, title: title, body: body,
                  contentType: contentType, tone: tone, keywords: keywords, generated: generated)
    }

    private static let jsonKeys: [StaticString] = [
        "contentId", "workspaceId", "authorId", "title", "body", "contentType", "tone", "keywords", "generated",
    ]
}

extension GenerationParameters {
    init?(scanning scanner: inout JSONScanner) {
        var generator: String?, model: String?, topic: String?, length: Int?, targetAudience: String?
        let complete = scanner.fields(Self.jsonKeys) { index, scanner in
            switch index {
            case 0: generator = scanner.string(); return generator != nil
            case 1: model = scanner.string(); return model != nil
            case 2: topic = scanner.string(); return topic != nil
            case 3: length = scanner.unsignedInteger().map(Int.init); return length != nil
            default:
                if scanner.consumeNull() { return true }
                targetAudience = scanner.string()
                return targetAudience != nil
            }
        }
        guard complete, let generator, let model, let topic, let length else { return nil }
        self.init(generator: generator, model: model, topic: topic, length: length, targetAudience: targetAudience)
    }

    private static let jsonKeys: [StaticString] = ["generator", "model", "topic", "length", "targetAudience"]
}

extension JSONScanner {
    /// An id of the platform's (`cnt_…`), which is printable ASCII.
    mutating func id<ID: PrefixedID>() -> ID? {
        guard let bytes = plainString(), ID.isValid(bytes) else { return nil }
        return ID(unchecked: String(decoding: bytes, as: UTF8.self))
    }
}
