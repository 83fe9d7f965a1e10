public import BlogStatsStore

/// The mirror's state for `/healthz` and metrics.
public struct MirrorStatus: Sendable {
    /// Where points go (no secrets).
    public var target: String
    public var mode: MirrorConfiguration.Mode
    public var depth: OutboxDepth?
    /// Why the last attempt failed, while InfluxDB keeps failing; nil once writes succeed.
    public var lastError: String?
    /// Failed attempts in a row.
    public var failures: Int
    /// When InfluxDB last accepted points (seconds since the epoch).
    public var lastDelivery: Int64?
    /// Points InfluxDB accepted since the start.
    public var pointsWritten: Int64
}
