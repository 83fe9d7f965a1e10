import BlogStatsSQLite

/// Why an export could not start or stopped: a bad request, an unknown blog or post, or the store.
public struct ExportError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// A parameter is malformed (HTTP 400, CLI exit 2).
        case invalidRequest
        /// The blog or the post does not exist (HTTP 404).
        case notFound
        /// The store cannot be read now; retry later (HTTP 503).
        case unavailable
        /// Anything else (HTTP 500).
        case failed
    }

    public var kind: Kind
    public var message: String
    /// The query parameter at fault (`from`, `blog`…), if any.
    public var field: String?

    public init(_ kind: Kind, _ message: String, field: String? = nil) {
        self.kind = kind
        self.message = message
        self.field = field
    }

    init(_ error: SQLiteError) {
        self.init(error.isTransient ? .unavailable : .failed, "cannot read the store: \(error.message)")
    }

    public var description: String { message }
}
