/// The answer to an `HTTPClientRequest`.
public struct HTTPClientResponse: Sendable {
    public var status: Int
    /// Header names lower-cased; repeated headers joined with ", ". After redirects, the last
    /// response's headers only.
    public var headers: [String: String]
    /// The body as received (decoded when the server chose a `Content-Encoding` libcurl
    /// offered); empty when it was streamed to `onBody`.
    public var body: [UInt8]

    public init(status: Int, headers: [String: String] = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}
