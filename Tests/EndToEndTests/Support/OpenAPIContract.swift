import Foundation

/// The receiver's OpenAPI document as a contract: which method and path it documents, and
/// whether a real answer has a documented status, headers and body.
final class OpenAPIContract {
    let document: JSONValue
    let schemas: SchemaChecker
    /// `GET /api/v1/posts 400` for every answer checked.
    private(set) var exercised: Set<String> = []

    static let methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]

    init(_ answer: HTTPAnswer) throws {
        document = try JSONValue.parse(Array(answer.body))
        schemas = SchemaChecker(document: document)
    }

    /// (METHOD, template) for every operation.
    var operations: [(method: String, template: String, operation: JSONValue)] {
        var list: [(String, String, JSONValue)] = []
        for path in document["paths"]?.members ?? [] {
            let item = schemas.dereference(path.value)
            for method in Self.methods {
                if let operation = item[method] { list.append((method.uppercased(), path.name, operation)) }
            }
        }
        return list
    }

    /// Every `METHOD template status` the document lists.
    var documentedResponses: Set<String> {
        var set: Set<String> = []
        for (method, template, operation) in operations {
            for response in operation["responses"]?.members ?? [] {
                set.insert("\(method) \(template) \(response.name)")
            }
        }
        return set
    }

    /// The template a concrete path matches (`/api/v1/blogs/notes/series` → `/api/v1/blogs/{blog}/series`);
    /// a template without parameters wins over one with.
    func template(for path: String) -> String? {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        var best: (String, Int)? = nil
        for template in document["paths"]?.members?.map(\.name) ?? [] {
            let parts = template.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == segments.count else { continue }
            var parameters = 0
            var matches = true
            for (part, segment) in zip(parts, segments) {
                if part.hasPrefix("{") && part.hasSuffix("}") {
                    parameters += 1
                    if segment.isEmpty { matches = false }
                } else if part != segment {
                    matches = false
                }
            }
            if matches && parameters < (best?.1 ?? Int.max) { best = (template, parameters) }
        }
        return best?.0
    }

    /// The documented operation for a request; HEAD is documented wherever GET is.
    func operation(_ method: String, _ path: String) -> (template: String, operation: JSONValue)? {
        guard let template = template(for: path), let listed = document["paths"]?[template] else { return nil }
        let item = schemas.dereference(listed)
        let name = method == "HEAD" && item["head"] == nil ? "get" : method.lowercased()
        return item[name].map { (template, $0) }
    }

    /// Problems of a real answer to `method path` against the document (empty when it conforms).
    func check(_ answer: HTTPAnswer, _ method: String, _ path: String) -> [String] {
        let request = "\(method) \(path) → \(answer.status)"
        guard answer.curlExit == 0 || answer.status != 0 else { return ["\(request): no answer: \(answer.curlError)"] }
        guard let (template, operation) = operation(method, path) else { return ["\(request): not documented"] }
        let documentedMethod = method == "HEAD" ? "GET" : method
        exercised.insert("\(documentedMethod) \(template) \(answer.status)")
        guard let listed = operation["responses"]?[String(answer.status)] else {
            return ["\(request): status \(answer.status) is not documented: \(answer.text.prefix(300))"]
        }
        let response = schemas.dereference(listed)
        var problems: [String] = []
        for header in response["headers"]?.members ?? [] {
            let definition = schemas.dereference(header.value)
            let value = answer.headers[header.name.lowercased()]
            if definition["required"] == .bool(true) && value == nil {
                problems.append("\(request): header \(header.name) is missing")
            }
            if let value, definition["schema"]?["type"] == .string("integer"), Int(value) == nil {
                problems.append("\(request): header \(header.name): \(value) is not an integer")
            }
        }
        if method == "HEAD" { return problems }
        // Streams (CSV, JSON Lines) are documented by media type; JSON Lines must parse line by line.
        let mediaType = answer.headers["content-type"]?.split(separator: ";").first.map(String.init) ?? ""
        if mediaType != "application/json" {
            guard response["content"]?[mediaType] != nil else {
                return problems + ["\(request): Content-Type \(mediaType) is not documented"]
            }
            if mediaType == "application/x-ndjson" {
                for line in answer.text.split(separator: "\n") where (try? JSONValue.parse(String(line))) == nil {
                    problems.append("\(request): a JSON Lines row is not JSON: \(line.prefix(120))")
                }
            }
            return problems
        }
        guard let schema = response["content"]?["application/json"]?["schema"] else {
            return problems + ["\(request): no application/json content documented"]
        }
        guard answer.headers["content-type"]?.hasPrefix("application/json") == true else {
            return problems + ["\(request): Content-Type \(answer.headers["content-type"] ?? "none")"]
        }
        let body: JSONValue
        do {
            body = try JSONValue.parse(Array(answer.body))
        } catch {
            return problems + ["\(request): \(error): \(answer.text.prefix(300))"]
        }
        return problems + schemas.check(body, against: schema).map { "\(request): \($0)" }
    }

    /// Every `$ref` anywhere in the document that resolves to nothing.
    func unresolvedReferences() -> [String] {
        var problems: [String] = []
        func walk(_ value: JSONValue, _ path: String) {
            switch value {
            case .object(let members):
                for member in members {
                    if member.name == "$ref", let reference = member.value.string,
                        schemas.resolve(reference: reference) == nil
                    {
                        problems.append("\(path): \(reference)")
                    }
                    walk(member.value, path + "/" + member.name)
                }
            case .array(let elements):
                for (index, element) in elements.enumerated() { walk(element, "\(path)/\(index)") }
            default: break
            }
        }
        walk(document, "#")
        return problems
    }
}
