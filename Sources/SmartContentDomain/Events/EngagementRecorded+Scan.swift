import EventLog

extension EngagementRecorded {
    /// Reads the `data` of an import line in place (see ``JSONScanner``): the event
    /// ``init(json:)`` reads from the same JSON, or `nil` for anything outside the common
    /// shape, which is then left to it.
    init?(scanning data: UnsafeRawBufferPointer) {
        var contentId: ContentID?, kind: EngagementKind?, occurredAt: Instant?
        var userId: ReaderID?, channel: String?, value: Double?
        var scanner = JSONScanner(data)
        let complete = scanner.fields(Self.jsonKeys) { index, scanner in
            if index >= 3, scanner.consumeNull() { return true }  // userId, channel and value may be null
            switch index {
            case 0:
                guard let bytes = scanner.plainString(), ContentID.isValid(bytes) else { return false }
                contentId = ContentID(unchecked: String(decoding: bytes, as: UTF8.self))
            case 1:
                guard let bytes = scanner.plainString() else { return false }
                kind = EngagementKind(utf8: bytes)
                return kind != nil
            case 2:
                guard let bytes = scanner.plainString(), let millis = Timestamp.parse(utf8: bytes) else { return false }
                occurredAt = Instant(millisecondsSince1970: millis)
            case 3:
                guard let bytes = scanner.plainString() else { return false }
                userId = ReaderID(rawValue: String(decoding: bytes, as: UTF8.self))
                return userId != nil
            case 4:
                guard let bytes = scanner.plainString() else { return false }
                channel = String(decoding: bytes, as: UTF8.self)
            default:
                guard let number = scanner.decimal(), Self.valueRange.contains(number) else { return false }
                value = number
            }
            return true
        }
        scanner.skipWhitespace()
        guard complete, scanner.isAtEnd, let contentId, let kind, let occurredAt else { return nil }
        self.init(contentId: contentId, kind: kind, userId: userId, channel: channel, occurredAt: occurredAt, value: value)
    }

    private static let jsonKeys: [StaticString] = ["contentId", "kind", "occurredAt", "userId", "channel", "value"]
}

extension EngagementKind {
    /// The kind named by `bytes`, compared without making a string.
    init?(utf8 bytes: UnsafeRawBufferPointer) {
        if JSONScanner.bytes(bytes, equal: "view") {
            self = .view
        } else if JSONScanner.bytes(bytes, equal: "click") {
            self = .click
        } else if JSONScanner.bytes(bytes, equal: "share") {
            self = .share
        } else if JSONScanner.bytes(bytes, equal: "conversion") {
            self = .conversion
        } else if JSONScanner.bytes(bytes, equal: "engagement") {
            self = .engagement
        } else {
            return nil
        }
    }
}
