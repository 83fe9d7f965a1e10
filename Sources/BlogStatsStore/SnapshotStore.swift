public import BlogStatsCore
import BlogStatsSQLite

/// Where snapshots are kept: the seam between the receiver and a storage engine.
public protocol SnapshotStore: Sendable {
    /// Stores the snapshots of one request atomically: all of them or none.
    func ingest(_ snapshots: [Snapshot]) throws(StoreError) -> [IngestSummary]
    /// Whether the store can write now, and the newest snapshot of each blog.
    func health() -> StoreHealth
    /// Flushes and closes; later calls fail.
    func close()
}

/// What storing one snapshot did; the ingest answer.
public struct IngestSummary: Sendable, Equatable {
    public var blog: String
    public var capturedAt: Int64
    public var rows = 0
    /// Posts already known whose count changed.
    public var changed = 0
    /// Posts never seen before in this blog.
    public var new = 0
    /// Posts missing from this snapshot that were present in the previous one.
    public var removed = 0
    /// Posts present again after having been missing.
    public var returned = 0
    /// Posts whose count went down (a database restored from a backup).
    public var resets = 0
    /// True when the same snapshot was already stored at this capture time.
    public var duplicate = false

    public init(blog: String, capturedAt: Int64) {
        self.blog = blog
        self.capturedAt = capturedAt
    }
}

/// The store's state for `/healthz`.
public struct StoreHealth: Sendable {
    public var writable: Bool
    public var problem: String?
    /// Blog name and the capture time of its newest snapshot.
    public var lastSnapshots: [(blog: String, capturedAt: Int64)]
}

/// Why a snapshot was not stored.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A different snapshot is already stored at this explicit capture time (HTTP 409).
    case conflict(blog: String, capturedAt: Int64)
    /// The store cannot write now (busy, disk full, read-only); retry later (HTTP 503).
    case unavailable(String)
    /// Anything else (HTTP 500).
    case failed(String)

    init(_ error: SQLiteError) {
        self = error.isTransient ? .unavailable(error.message) : .failed(error.description)
    }

    public var description: String {
        switch self {
        case .conflict(let blog, let time):
            "blog \(blog) already has a different snapshot captured at \(Timestamp.format(time))"
        case .unavailable(let message): "the store cannot write now: \(message)"
        case .failed(let message): "store failure: \(message)"
        }
    }
}
