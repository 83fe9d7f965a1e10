/// One complete HTTP request as handed to the application handler.
public struct HTTPRequest: Sendable {
    /// The request method as sent, e.g. "GET" or "POST".
    public let method: String
    /// The percent-decoded path, without the query string.
    public let path: String
    /// Decoded query arguments; for a repeated name the last value wins.
    public let query: [String: String]
    /// Header names lower-cased; repeated headers joined with ", ".
    public let headers: [String: String]
    /// The complete request body.
    public let body: [UInt8]
    /// The TCP peer (not any forwarded-for header).
    public let peer: IPAddress

    /// Builds a request directly, e.g. to test a handler without a server; header names are lower-cased
    /// (values of names that differ only in case are joined with ", ").
    public init(
        method: String, path: String, query: [String: String] = [:], headers: [String: String] = [:],
        body: [UInt8] = [], peer: IPAddress
    ) {
        self.method = method
        self.path = path
        self.query = query
        var lowered: [String: String] = [:]
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) {
            let key = name.lowercased()
            lowered[key] = lowered[key].map { $0 + ", " + value } ?? value
        }
        self.headers = lowered
        self.body = body
        self.peer = peer
    }

    /// Case-insensitive header lookup.
    public func header(_ name: String) -> String? {
        headers[name.lowercased()]
    }
}
