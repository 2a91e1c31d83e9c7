import EventLog
import Hummingbird
import SmartContent
import SmartContentDomain
import SmartContentProjections

extension Request {
    /// The read-your-writes position: `X-Min-Position` or `?minPosition=`, the greater when
    /// both are given. A malformed one is refused wherever it is (the header used to hide a
    /// malformed query).
    func minPosition() throws -> UInt64? {
        func position(_ text: String?, _ field: String) throws -> UInt64? {
            guard let text else { return nil }
            guard let position = UInt64(text) else { throw APIError.invalid(field, "\(field) must be a log position (an integer ≥ 0)") }
            return position
        }
        let header = try position(headers[.minPosition], "X-Min-Position")
        // Every request asks, most without a query: parsing one costs more than the look.
        let query = try uri.query.map(Self.namesMinPosition) == true
            ? position(uri.queryParameters.get("minPosition"), "minPosition") : nil
        guard let header, let query else { return header ?? query }
        return max(header, query)
    }

    /// Whether `query` holds the bytes `minPosition`: `String.contains` goes through
    /// Foundation's locale-aware search, and `firstRange(of:)` through a generic searcher.
    private static func namesMinPosition(_ query: String) -> Bool {
        var query = query
        return query.withUTF8 { bytes in
            let bytes = UnsafeRawBufferPointer(bytes)
            return bytes.indices.contains { start in
                bytes[start] == UInt8(ascii: "m") && UnsafeRawBufferPointer(rebasing: bytes[start...]).hasPrefix(minPositionBytes)
            }
        }
    }

    private static let minPositionBytes = Array("minPosition".utf8)

    /// `?limit=` (1–100, default 20).
    func pageLimit() throws -> Int {
        guard let text = uri.queryParameters.get("limit") else { return Page<ContentView>.defaultLimit }
        guard let limit = Int(text), Page<ContentView>.limits.contains(limit) else {
            throw APIError.invalid("limit", "limit must be an integer from 1 to 100")
        }
        return limit
    }

    /// `?cursor=`, as a page gave it.
    func pageCursor() throws -> [UInt8]? {
        guard let text = uri.queryParameters.get("cursor") else { return nil }
        guard let cursor = PageCursor.decode(text) else {
            throw APIError.invalid("cursor", "cursor is not one this API gave (omit it for the first page)")
        }
        return cursor
    }

    func query(_ name: String) -> String? { uri.queryParameters.get(name) }

    /// `Idempotency-Key`: 1 to 255 printable ASCII characters, or absent.
    func idempotencyKey() throws -> String? {
        guard let key = headers[.idempotencyKey] else { return nil }
        guard (1...255).contains(key.utf8.count), key.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw APIError.invalid("Idempotency-Key", "Idempotency-Key must be 1 to 255 printable ASCII characters")
        }
        return key
    }
}

extension APIContext {
    /// The position a read must see: what the client asked (`X-Min-Position`) and at least
    /// the last position its own session wrote.
    func readPosition(_ request: Request) throws -> UInt64? {
        guard let asked = try request.minPosition() else { return sessionPosition }
        return max(asked, sessionPosition ?? 0)
    }

    /// A path id. A malformed one is a bad request naming the parameter; a well-formed
    /// one that names nothing (or another workspace's resource) is the route's 404.
    func id<ID: PrefixedID>(_ name: String, as _: ID.Type, what: String) throws -> ID {
        let text = try parameters.require(name)
        guard let id = ID(rawValue: text) else { throw APIError.malformedID(name, text, as: ID.self) }
        return id
    }
}

extension SmartContentAPI {
    /// A projection query at least as fresh as the request asks, on the request's task:
    /// the API's queries are bounded (a page, a year of days), so a thread hop would cost
    /// more than the read.
    func read<P: QueryableProjection, R>(
        _ projection: P.Type, _ request: Request, _ context: APIContext, _ body: (P.Queries) throws -> R
    ) async throws -> R {
        try await engine.readNow(projection, atLeast: try context.readPosition(request), body)
    }
}
