/// Why an HTTPServer could not start.
public struct HTTPServerError: Error, Sendable, CustomStringConvertible {
    /// A complete sentence for logs, e.g. "cannot listen on 127.0.0.1:8080: address already in use".
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
