/// What one run did, the problems to show, and the outcome the exit code reports.
public struct RunReport: Sendable {
    public enum Status: Sendable, Equatable {
        /// Everything sent, replays included.
        case delivered
        /// The receiver is unavailable: the snapshot waits in the spool for a later run.
        case spooled
        /// The receiver refused a snapshot; it is in `rejected/`.
        case rejected
        /// The spool is full: a snapshot could not be kept.
        case spoolFull
        /// Another run holds the spool's lock; this run's snapshot was spooled for it.
        case locked
        /// Nothing could be read, or a snapshot could not be written to the spool.
        case failed
    }

    public var read: SourceRead? = nil
    /// Fresh snapshots stored by the receiver.
    public var delivered = 0
    /// Spooled snapshots stored by the receiver.
    public var replayed = 0
    public var spooled = 0
    public var rejected = 0
    /// Snapshots not kept because the spool was full.
    public var overflowed = 0
    /// Snapshots lost to an error (unreadable source, unwritable spool).
    public var failures = 0
    public var lockedOut = false
    /// Snapshots left in the spool.
    public var waiting = 0
    /// Lines for stderr, shown even without --verbose.
    public var problems: [String] = []

    public init() {}

    public var status: Status {
        if failures > 0 { return .failed }
        if overflowed > 0 { return .spoolFull }
        if rejected > 0 { return .rejected }
        if lockedOut { return .locked }
        if spooled > 0 { return .spooled }
        return .delivered
    }
}
