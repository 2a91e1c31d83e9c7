import Foundation
import OpenAPIKit30
import SmartContentDomain
import SmartContentServer
import Synchronization
import Testing
import Yams

@Suite(.timeLimit(.minutes(5))) struct OpenAPITests {
    final class Served: Sendable {
        let value = Mutex<(yaml: String, routes: [String])?>(nil)
    }

    /// The document as the server serves it, and the routes its router registered.
    func document() async throws -> (OpenAPI.Document, routes: [String]) {
        let served = Served()
        try await withAPI { api, _, server in
            let response = try await api.call(.get, "/openapi.yaml")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("application/yaml") == true)
            served.value.withLock { $0 = (response.text, server.routes) }
        }
        let (yaml, routes) = try #require(served.value.withLock { $0 })
        return (try YAMLDecoder().decode(OpenAPI.Document.self, from: yaml), routes)
    }

    /// The document as the server serves it, as plain YAML values.
    func servedYAML() async throws -> [String: Any] {
        let served = Served()
        try await withAPI { api, _, server in
            let text = try await api.call(.get, "/openapi.yaml").text
            served.value.withLock { $0 = (text, server.routes) }
        }
        let yaml = try #require(served.value.withLock { $0 }?.yaml)
        return try #require(try Yams.load(yaml: yaml) as? [String: Any])
    }

    /// What is served is the resource as written, with the system's time zones where it
    /// says: no other rewriting.
    @Test func theServedDocumentIsTheResourceWithThisSystemsTimeZones() async throws {
        let resource = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/SmartContentServer/Resources/openapi.yaml")
        let parts = try String(contentsOf: resource, encoding: .utf8).components(separatedBy: "[$TIME_ZONES]")
        try #require(parts.count == 2)
        let served = Served()
        try await withAPI { api, _, server in
            let text = try await api.call(.get, "/openapi.yaml").text
            served.value.withLock { $0 = (text, server.routes) }
        }
        let text = try #require(served.value.withLock { $0 }?.yaml)
        #expect(text.hasPrefix(parts[0] + #"["Africa/"#))
        #expect(text.hasSuffix(#""]"# + parts[1]))
        #expect(!text.contains("$TIME_ZONES"))
    }

    @Test func theDocumentIsValidOpenAPI3() async throws {
        let (document, _) = try await document()
        try document.validate()
        #expect(document.openAPIVersion.rawValue.hasPrefix("3.0"))
    }

    @Test func everyRouteServedIsDescribedAndEveryDescribedRouteIsServed() async throws {
        let (document, routes) = try await document()
        var described: Set<String> = []
        for (path, item) in document.paths {
            guard case .b(let item) = item else { continue }
            for endpoint in item.endpoints { described.insert("\(endpoint.method.rawValue.uppercased()) \(path.rawValue)") }
        }
        let served = Set(routes)
        #expect(served.count > 40)
        #expect(served.subtracting(described).sorted() == [], "served but not in /openapi.yaml")
        #expect(described.subtracting(served).sorted() == [], "in /openapi.yaml but not served")
    }

    @Test func theEnumsAreTheCatalogs() async throws {
        let (document, _) = try await document()
        func values(_ name: String) -> Set<String> {
            guard let schema = document.components.schemas[OpenAPI.ComponentKey(rawValue: name)!] else { return [] }
            return Set((schema.allowedValues ?? []).compactMap { $0.value as? String })
        }
        #expect(values("ContentType") == Set(ContentType.allCases.map(\.rawValue)))
        #expect(values("Tone") == Set(Tone.allCases.map(\.rawValue)))
        #expect(values("Role") == Set(Role.allCases.map(\.rawValue)))
        #expect(values("ContentStatus") == Set(ContentStatus.allCases.map(\.rawValue)))
    }

    /// Clients of generate and refine learn that a provider that is down answers 503
    /// GENERATOR_UNAVAILABLE, with what its details hold.
    @Test func generateAndRefineDocumentTheGeneratorsUnavailableAnswer() async throws {
        let root = try await servedYAML()
        let paths = root["paths"] as? [String: [String: Any]] ?? [:]
        for path in ["/v1/content/generate", "/v1/content/{contentId}/refine"] {
            let responses = (paths[path]?["post"] as? [String: Any])?["responses"] as? [String: Any]
            #expect((responses?["503"] as? [String: Any])?["$ref"] as? String == "#/components/responses/GeneratorUnavailable", "\(path)")
        }
        let response = ((root["components"] as? [String: Any])?["responses"] as? [String: Any])?["GeneratorUnavailable"]
        let description = (response as? [String: Any])?["description"] as? String ?? ""
        for part in ["GENERATOR_UNAVAILABLE", "unreachable, timeout, http_status or", "malformed_answer", "Retry-After"] {
            #expect(description.contains(part), "\(part)")
        }
    }

    /// The server refuses body fields its types do not read; the document must say so of
    /// every object a request body holds, or clients generated from it would send them.
    @Test func everyRequestBodyObjectRefusesOtherFields() async throws {
        let root = try await servedYAML()
        let schemas = (root["components"] as? [String: Any])?["schemas"] as? [String: Any] ?? [:]
        var open: Set<String> = []
        var visited: Set<String> = []
        func check(_ node: Any?, at place: String) {
            guard let schema = node as? [String: Any] else { return }
            if let ref = schema["$ref"] as? String {
                let name = String(ref.split(separator: "/").last ?? "")
                if visited.insert(name).inserted { check(schemas[name], at: name) }
                return
            }
            if let properties = schema["properties"] as? [String: Any], schema["type"] as? String == "object" {
                if schema["additionalProperties"] as? Bool != false { open.insert(place) }
                for (name, property) in properties { check(property, at: "\(place).\(name)") }
            }
            for key in ["allOf", "anyOf", "oneOf"] {
                for (index, part) in (schema[key] as? [Any] ?? []).enumerated() { check(part, at: "\(place).\(key)[\(index)]") }
            }
            check(schema["items"], at: "\(place)[]")
        }
        var bodies = 0
        for (path, item) in root["paths"] as? [String: Any] ?? [:] {
            for (method, operation) in item as? [String: Any] ?? [:] {
                guard let body = (operation as? [String: Any])?["requestBody"] as? [String: Any] else { continue }
                bodies += 1
                let json = ((body["content"] as? [String: Any])?["application/json"] as? [String: Any])?["schema"]
                check(json, at: "\(method.uppercased()) \(path)")
            }
        }
        #expect(bodies > 15)
        #expect(open.sorted() == [], "objects of request bodies that do not say additionalProperties: false")
    }
}
