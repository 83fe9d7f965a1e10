/// A stored snapshot the InfluxDB mirror has not delivered yet (one outbox row).
public struct OutboxEntry: Sendable, Hashable {
    public let blog: String
    public let capturedAt: Int64
    let blogKey: Int64
    /// Moves when the snapshot is replaced, so a stale delivery never removes the new one.
    let seq: Int64
}

/// How much the mirror still has to send.
public struct OutboxDepth: Sendable, Equatable {
    /// Snapshots waiting to be sent.
    public var pendingSnapshots: Int64 = 0
    /// Their rows: the points `--influx-mode all` will write (changed mode writes fewer).
    public var pendingRows: Int64 = 0
    /// Snapshots InfluxDB refused for good (kept, not retried).
    public var parked: Int64 = 0
    /// The oldest pending capture time, if any.
    public var oldestPending: Int64?

    public init() {}
}

/// A parked outbox entry and why InfluxDB refused it.
public struct ParkedEntry: Sendable, Equatable {
    public var blog: String
    public var capturedAt: Int64
    public var reason: String
}

/// One post as the mirror writes it: its state at a snapshot's capture time. Slug and title
/// live only in `tags`, encoded once per name by the reader's `tags` function, so the reader
/// keeps little per post.
public struct MirrorPost: Sendable, Equatable {
    public var id: String
    public var views: Int64
    public var tags: [UInt8]

    public init(id: String, views: Int64, tags: [UInt8]) {
        self.id = id
        self.views = views
        self.tags = tags
    }
}
