/// One HTTP request for `HTTPClient`: the whole body is in memory, so it is sent with a known
/// `Content-Length`, never chunked.
public struct HTTPClientRequest: Sendable {
    /// "GET", "POST", "PUT", "HEAD", …
    public var method: String
    /// An absolute `http://` or `https://` URL, query string included and already encoded.
    public var url: String
    /// Sent in this order; a header named here replaces libcurl's own (`Content-Type`, `Accept`).
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// Seconds allowed to connect, and also the longest silence: a request during which no
    /// byte moves for this long (a receiver that accepts and never answers) fails too.
    public var connectTimeout: Double
    /// Seconds allowed for the whole exchange; 0 means no limit.
    public var timeout: Double

    public init(
        method: String = "GET", url: String, headers: [(name: String, value: String)] = [], body: [UInt8] = [],
        connectTimeout: Double = 10, timeout: Double = 60
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.connectTimeout = connectTimeout
        self.timeout = timeout
    }
}
