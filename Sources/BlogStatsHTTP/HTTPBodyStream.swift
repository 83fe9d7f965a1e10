/// Pulled by the server thread until it returns nil; lets /metrics and exports stream in constant memory.
///
/// `next()` is called from one server thread at a time for a given response; an empty
/// array is allowed and simply asks to be called again.
public protocol HTTPBodyStream: AnyObject, Sendable {
    /// The next piece of the body, or nil at the end. Throwing aborts the response: the
    /// connection is closed without the final chunk, so the client sees the body is cut.
    func next() throws -> [UInt8]?
}
