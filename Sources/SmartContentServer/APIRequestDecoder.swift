import EventLog
import Foundation
public import Hummingbird
import NIOCore

/// Decodes JSON bodies, turning every decoding failure into a 400 `INVALID_PARAMETERS`
/// that names the offending field.
public struct APIRequestDecoder: RequestDecoder {
    public init() {}

    public func decode<T: Decodable>(_ type: T.Type, from request: Request, context: some RequestContext) async throws -> T {
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        guard buffer.readableBytes > 0 else { throw APIError.invalid("body", "a JSON body is required") }
        return try Self.decode(T.self, from: Data(buffer: buffer))
    }

    /// A body that may be left out: nil when the request has none.
    func decodeIfPresent<T: Decodable>(_ type: T.Type, from request: Request, context: some RequestContext) async throws -> T? {
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        guard buffer.readableBytes > 0 else { return nil }
        return try Self.decode(T.self, from: Data(buffer: buffer))
    }

    static func decode<T: Decodable>(_: T.Type, from bytes: Data) throws -> T {
        let decoded: T
        do {
            decoded = try JSONDecoder().decode(T.self, from: bytes)
        } catch let error as DecodingError {
            throw Self.describe(error)
        } catch let error as APIError {
            throw error
        } catch {
            throw APIError.invalid("body", "the body is not valid JSON: \(error)")
        }
        try Self.refuseUnknownFields(in: bytes, reading: T.self)
        return decoded
    }

    static func refuseUnknownFields<T: Decodable>(in bytes: Data, reading _: T.Type) throws {
        // JSONDecoder takes more than this parser does (nesting past 128 levels, a byte-order
        // mark): a body that cannot be checked is not let through unchecked.
        guard let tree = try? JSONValue(parsing: bytes) else {
            throw APIError.invalid("body", "the body could not be read as plain UTF-8 JSON nested at most 128 levels deep")
        }
        let unknown = UnknownFieldCheck.unknownFields(in: tree, reading: T.self)
        guard let first = unknown.first else { return }
        let list = unknown.prefix(10).joined(separator: ", ") + (unknown.count > 10 ? " and \(unknown.count - 10) more" : "")
        throw APIError.invalid(first, "unknown field\(unknown.count == 1 ? "" : "s") \(list): not taken by this route (see /openapi.yaml)")
    }

    static func describe(_ error: DecodingError) -> APIError {
        func path(_ context: DecodingError.Context, _ key: (any CodingKey)? = nil) -> String {
            let keys = context.codingPath + (key.map { [$0] } ?? [])
            let joined = keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
                .reduce(into: "") { out, part in out += part.hasPrefix("[") || out.isEmpty ? part : "." + part }
            return joined.isEmpty ? "body" : joined
        }
        switch error {
        case .keyNotFound(let key, let context):
            return APIError.invalid(path(context, key), "\(path(context, key)) is required")
        case .typeMismatch(let type, let context):
            return APIError.invalid(path(context), "\(path(context)) must be \(Self.name(of: type))")
        case .valueNotFound(let type, let context):
            return APIError.invalid(path(context), "\(path(context)) must be \(Self.name(of: type)), not null")
        case .dataCorrupted(let context):
            if let underlying = context.underlyingError as? APIError { return underlying }
            if context.codingPath.isEmpty { return APIError.invalid("body", "the body is not valid JSON") }
            if context.debugDescription.hasPrefix("Cannot initialize") {
                return APIError.invalid(path(context), "\(path(context)) has a value it does not accept; see /openapi.yaml for the allowed ones")
            }
            return APIError.invalid(path(context), "\(path(context)): \(context.debugDescription)")
        @unknown default:
            return APIError.invalid("body", "the body does not match the expected shape")
        }
    }

    static func name(of type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type, is UInt64.Type: "an integer"
        case is Double.Type: "a number"
        case is Bool.Type: "true or false"
        case is [Any].Type: "an array"
        default: type == [String: Any].self ? "an object" : "of type \(type)"
        }
    }
}
