/// A running HTTP server on libmicrohttpd.
///
/// Handlers run synchronously on the server's bounded thread pool. The server stops
/// (without draining) when the last reference goes away; call stop() to drain first.
public final class HTTPServer: Sendable {
    private let handle: DaemonHandle

    /// Starts listening at once; throws HTTPServerError with a readable message when it cannot.
    public init(
        configuration: HTTPServerConfiguration, handler: @escaping @Sendable (HTTPRequest) -> HTTPResponse
    ) throws {
        let context = ServerContext(configuration: configuration, handler: handler)
        handle = try DaemonStarter.start(configuration, context: context)
    }

    /// The bound port (the real one when port 0 was asked for).
    public var port: UInt16 { handle.port }

    /// Stops accepting connections, waits up to `drainTimeout` seconds for requests in
    /// flight to finish, then stops the server. Idempotent; must not be called from a handler.
    public func stop(drainTimeout: Double = 10) {
        handle.stop(drainTimeout: drainTimeout)
    }
}
