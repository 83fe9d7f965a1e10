/// Why the collector could not read a source or keep a snapshot: a sentence for stderr.
public struct CollectorError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
