/// Listening address, limits, TLS and logging for an HTTPServer.
public struct HTTPServerConfiguration: Sendable {
    /// An IPv4 or IPv6 literal ("127.0.0.1", "::1", "0.0.0.0", "::"); "::" also accepts IPv4 (dual stack).
    public var host: String = "127.0.0.1"
    /// 0 asks for an ephemeral port; HTTPServer.port tells which one.
    public var port: UInt16 = 8080
    /// Size of the bounded pool of server threads; handlers run on these threads.
    public var threads: Int = 4
    /// Idle connections are closed after this many seconds.
    public var connectionTimeoutSeconds: Int = 30
    public var perIPConnectionLimit: Int = 32
    public var maxConnections: Int = 256
    /// Raw request-body bytes; a larger body is answered 413 without calling the handler.
    public var maxBodyBytes: Int = 16 << 20
    /// When set, the server speaks HTTPS only.
    public var tls: TLSConfiguration?
    /// Receives one line per answered request.
    public var accessLog: (@Sendable (String) -> Void)?
    /// Told of each request the server answers itself, before or instead of the handler (411,
    /// 413, 501, a bad Content-Length): its method, path and status. The handler never sees these.
    public var earlyAnswer: (@Sendable (_ method: String, _ path: String, _ status: Int) -> Void)?
    /// Receives libmicrohttpd's own diagnostics (one line each); nil writes them to stderr.
    public var errorLog: (@Sendable (String) -> Void)?

    public init() {}
}
