import Foundation

/// An HTTP answer as the real `curl` received it.
struct HTTPAnswer: Sendable {
    var status: Int
    /// Header names in lower case; the last value wins.
    var headers: [String: String]
    var body: Data
    /// curl's own exit code (0, or 7 when it could not connect, 28 on timeout…).
    var curlExit: Int32
    var curlError: String

    var text: String { String(decoding: body, as: UTF8.self) }

    /// The body as JSON with sorted keys, for exact comparisons.
    var canonical: String { JSON.canonical(JSON.parse(body)) }

    /// The body as a JSON object, or nil.
    var object: [String: Any]? { JSON.parse(body) as? [String: Any] }

    /// The body as a JSON object without `error` (whose wording may change), for comparing
    /// where an error points: line, column, field.
    var errorLocation: String {
        guard var object else { return "<not a JSON object: \(text)>" }
        object["error"] = nil
        return JSON.canonical(object)
    }

    /// The `error` message of an error answer, or "".
    var errorMessage: String { object?["error"] as? String ?? "" }

    /// For expectation messages.
    var summary: String { "HTTP \(status) \(text.prefix(1000)) \(curlError)" }
}
