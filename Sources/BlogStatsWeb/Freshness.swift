/// How recent the newest snapshot is, and whether they have stopped arriving.
public struct Freshness: Sendable, Equatable {
    /// nil: no snapshot yet.
    public var lastSnapshot: Int64?
    /// The usual time between snapshots, when it could be measured.
    public var usualInterval: Int64?
    public var now: Int64

    /// A notice appears after three usual intervals without a snapshot, and never before ten
    /// minutes (a collector pushing every minute may miss one or two).
    public static let minimumSilence: Int64 = 600

    public init(lastSnapshot: Int64?, usualInterval: Int64?, now: Int64) {
        self.lastSnapshot = lastSnapshot
        self.usualInterval = usualInterval
        self.now = now
    }

    public var age: Int64? { lastSnapshot.map { max(now - $0, 0) } }

    public var silenceLimit: Int64 { max(3 * (usualInterval ?? 60), Self.minimumSilence) }

    public var isStale: Bool { age.map { $0 > silenceLimit } ?? false }
}
