/// What a handler answers: status, headers, body and an optional note for the access log.
public struct HTTPResponse: Sendable {
    /// The HTTP status code; values outside 100...999 are sent as 500.
    public var status: Int
    /// Extra response headers in order; lines with CR or LF are dropped by the server.
    public var headers: [(String, String)]
    public var body: HTTPBody
    /// Appended to the access-log line, e.g. "rows=1000".
    public var logNote: String?

    public init(status: Int, headers: [(String, String)] = [], body: HTTPBody = .bytes([]), logNote: String? = nil) {
        self.status = status
        self.headers = headers
        self.body = body
        self.logNote = logNote
    }

    /// A response whose body is the given UTF-8 JSON, with `Content-Type: application/json`.
    public static func json(
        _ status: Int, _ utf8JSON: [UInt8], headers: [(String, String)] = [], logNote: String? = nil
    ) -> HTTPResponse {
        HTTPResponse(
            status: status, headers: [("Content-Type", "application/json")] + headers,
            body: .bytes(utf8JSON), logNote: logNote)
    }

    /// A response whose body is the given JSON text, with `Content-Type: application/json`.
    public static func json(
        _ status: Int, _ json: String, headers: [(String, String)] = [], logNote: String? = nil
    ) -> HTTPResponse {
        self.json(status, Array(json.utf8), headers: headers, logNote: logNote)
    }
}
