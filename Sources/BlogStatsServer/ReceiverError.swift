/// Why the receiver could not start (besides the store's and the server's own errors).
public struct ReceiverError: Error, Sendable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) { self.description = description }
}
