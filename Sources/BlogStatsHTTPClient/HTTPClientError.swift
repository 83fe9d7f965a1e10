/// Why a request got no HTTP answer (an answer with any status is not an error).
public struct HTTPClientError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// libcurl cannot be loaded: the Debian package libcurl4 is missing.
        case libraryMissing
        /// Not an http(s) URL, or one libcurl cannot parse.
        case invalidRequest
        /// The host name does not resolve.
        case resolve
        /// Refused or unreachable.
        case connect
        /// No connection within `connectTimeout`, or no byte moved for that long.
        case connectTimeout
        /// The whole exchange took longer than `timeout`.
        case timeout
        /// The handshake failed or the certificate is not trusted.
        case tls
        /// The connection broke before the whole answer arrived.
        case connectionLost
        /// `HTTPClient.cancelAll()` stopped it.
        case cancelled
        case other
    }

    public var kind: Kind
    /// What libcurl said, e.g. "Failed to connect to 127.0.0.1 port 1 after 0 ms: Couldn't connect to server".
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
