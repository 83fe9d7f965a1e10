import Foundation

/// Checks JSON values against the subset of JSON Schema 2020-12 that the OpenAPI document uses:
/// `$ref` (within the document), `type` (a name or a list), `enum`, `const`, `properties`,
/// `required`, `additionalProperties` (false or a schema), `items`, `minItems`, `oneOf`, `anyOf`,
/// `minimum`, `maximum`, `pattern` and `format: date-time` (RFC 3339, UTC, whole seconds: what
/// the receiver writes). A keyword outside the subset is an error, never silently ignored.
///
/// It also records which properties of which component schemas real answers used, so a test
/// can demand that every documented property was seen.
final class SchemaChecker {
    let document: JSONValue
    /// `Bucket.gap_seconds` for each property of a component schema present in a valid value.
    private(set) var seen: Set<String> = []

    static let annotations: Set<String> = ["description", "title", "default", "example", "examples"]
    static let keywords: Set<String> = [
        "$ref", "type", "enum", "const", "properties", "required", "additionalProperties", "items", "minItems",
        "oneOf", "anyOf", "minimum", "maximum", "pattern", "format",
    ]

    init(document: JSONValue) {
        self.document = document
    }

    /// The value at a local reference (`#/components/schemas/Bucket`), or nil.
    func resolve(reference: String) -> JSONValue? {
        guard reference.hasPrefix("#/") else { return nil }
        var value: JSONValue? = document
        for token in reference.dropFirst(2).split(separator: "/", omittingEmptySubsequences: false) {
            let name = token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            value = value?[name]
        }
        return value
    }

    /// Follows `$ref`s until an object without one.
    func dereference(_ value: JSONValue) -> JSONValue {
        var value = value
        var hops = 0
        while let reference = value["$ref"]?.string, let target = resolve(reference: reference), hops < 20 {
            value = target
            hops += 1
        }
        return value
    }

    /// Problems of `value` against `schema` (empty when it conforms); `path` names the place.
    func check(_ value: JSONValue, against schema: JSONValue, at path: String = "$") -> [String] {
        var found: Set<String> = []
        let problems = check(value, schema, path, component: nil, seen: &found)
        if problems.isEmpty { seen.formUnion(found) }
        return problems
    }

    private func check(
        _ value: JSONValue, _ schema: JSONValue, _ path: String, component: String?, seen: inout Set<String>
    ) -> [String] {
        guard let keywords = schema.members else { return ["\(path): the schema is not an object: \(schema)"] }
        var problems: [String] = []
        for member in keywords where !Self.keywords.contains(member.name) && !Self.annotations.contains(member.name) {
            problems.append("\(path): unsupported schema keyword \(member.name)")
        }
        if let reference = schema["$ref"]?.string {
            guard let target = resolve(reference: reference) else {
                return problems + ["\(path): unresolved \(reference)"]
            }
            let name =
                reference.hasPrefix("#/components/schemas/") ? String(reference.split(separator: "/").last!) : nil
            problems += check(value, target, path, component: name, seen: &seen)
        }
        if let type = schema["type"] {
            let allowed = type.array?.compactMap(\.string) ?? type.string.map { [$0] } ?? []
            let actual = value.typeName
            if !allowed.contains(actual) && !(actual == "integer" && allowed.contains("number")) {
                return problems + ["\(path): \(actual) \(value) where \(allowed.joined(separator: " or ")) is required"]
            }
        }
        if let options = schema["enum"]?.array, !options.contains(value) {
            problems.append("\(path): \(value) is not one of \(options)")
        }
        if let constant = schema["const"], constant != value {
            problems.append("\(path): \(value) is not \(constant)")
        }
        if let minimum = schema["minimum"]?.integer, let number = value.integer, number < minimum {
            problems.append("\(path): \(number) is below the minimum \(minimum)")
        }
        if let maximum = schema["maximum"]?.integer, let number = value.integer, number > maximum {
            problems.append("\(path): \(number) is above the maximum \(maximum)")
        }
        if let text = value.string {
            if let pattern = schema["pattern"]?.string, !Self.matches(text, pattern) {
                problems.append("\(path): \(value) does not match \(pattern)")
            }
            if schema["format"]?.string == "date-time",
                !Self.matches(text, #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$"#)
                    || CaptureTime.parse(text) == nil
            {
                problems.append("\(path): \(value) is not an RFC 3339 UTC time in whole seconds")
            }
        }
        if let elements = value.array {
            if let minimum = schema["minItems"]?.integer, elements.count < minimum {
                problems.append("\(path): \(elements.count) items, fewer than \(minimum)")
            }
            if let items = schema["items"] {
                for (index, element) in elements.enumerated() {
                    problems += check(element, items, "\(path)[\(index)]", component: nil, seen: &seen)
                }
            }
        }
        if let members = value.members {
            let properties = schema["properties"]?.members ?? []
            for required in schema["required"]?.array?.compactMap(\.string) ?? [] where value[required] == nil {
                problems.append("\(path): required property \(required) is missing")
            }
            for member in members {
                if let property = properties.first(where: { $0.name == member.name }) {
                    if let component { seen.insert("\(component).\(member.name)") }
                    problems += check(
                        member.value, property.value, "\(path).\(member.name)", component: nil, seen: &seen)
                } else if let additional = schema["additionalProperties"] {
                    if additional == .bool(false) {
                        problems.append("\(path): property \(member.name) is not in the schema")
                    } else if additional != .bool(true) {
                        problems += check(
                            member.value, additional, "\(path).\(member.name)", component: nil, seen: &seen)
                    }
                }
            }
        }
        for (keyword, exactlyOne) in [("oneOf", true), ("anyOf", false)] {
            guard let options = schema[keyword]?.array else { continue }
            var matching = 0
            var branchProblems: [String] = []
            for (index, option) in options.enumerated() {
                var branchSeen: Set<String> = []
                let problems = check(value, option, path, component: nil, seen: &branchSeen)
                if problems.isEmpty {
                    matching += 1
                    seen.formUnion(branchSeen)
                } else {
                    branchProblems.append("option \(index): " + problems.joined(separator: "; "))
                }
            }
            if matching == 0 || (exactlyOne && matching > 1) {
                problems.append(
                    "\(path): \(matching) of the \(keyword) options match: \(branchProblems.joined(separator: " | "))")
            }
        }
        return problems
    }

    static func matches(_ text: String, _ pattern: String) -> Bool {
        guard let expression = try? NSRegularExpression(pattern: pattern) else { return false }
        return expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    /// Problems of a schema itself (recursively): keywords outside the subset, references that
    /// resolve to nothing, and objects that are not closed (`additionalProperties: false`, every
    /// `required` name a property).
    func lint(_ schema: JSONValue, at path: String) -> [String] {
        guard let keywords = schema.members else { return ["\(path): not an object"] }
        var problems: [String] = []
        for member in keywords where !Self.keywords.contains(member.name) && !Self.annotations.contains(member.name) {
            problems.append("\(path): unsupported keyword \(member.name)")
        }
        if let reference = schema["$ref"]?.string, resolve(reference: reference) == nil {
            problems.append("\(path): unresolved \(reference)")
        }
        if let properties = schema["properties"]?.members {
            if schema["type"] != .string("object") { problems.append("\(path): properties without type object") }
            if schema["additionalProperties"] != .bool(false) {
                problems.append("\(path): an object schema without additionalProperties: false")
            }
            for required in schema["required"]?.array ?? []
            where !properties.contains(where: { .string($0.name) == required }) {
                problems.append("\(path): required \(required) is not a property")
            }
            for property in properties { problems += lint(property.value, at: "\(path).\(property.name)") }
        } else if schema["type"] == .string("object") && path.contains("components") {
            problems.append("\(path): an object schema without properties")
        }
        if let items = schema["items"] { problems += lint(items, at: "\(path)[]") }
        for keyword in ["oneOf", "anyOf"] {
            for (index, option) in (schema[keyword]?.array ?? []).enumerated() {
                problems += lint(option, at: "\(path).\(keyword)[\(index)]")
            }
        }
        return problems
    }

    /// Every `Schema.property` the component schemas declare.
    var declaredProperties: Set<String> {
        var names: Set<String> = []
        for schema in document["components"]?["schemas"]?.members ?? [] {
            for property in schema.value["properties"]?.members ?? [] {
                names.insert("\(schema.name).\(property.name)")
            }
        }
        return names
    }
}
