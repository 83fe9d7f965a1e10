import BlogStatsCore

/// The receiver's own ingest figures at one instant, as `/metrics` shows them.
struct IngestCounts: Sendable, Equatable {
    /// Push requests, whatever became of them.
    var received: UInt64 = 0
    /// Refused pushes, indexed like `RejectionReason.allCases`.
    var rejected = [UInt64](repeating: 0, count: RejectionReason.allCases.count)
    /// Rows of stored snapshots (a replayed duplicate stores none).
    var rows: UInt64 = 0
    /// Seconds from the complete request to the answer, for stored snapshots.
    var duration = Histogram(bounds: Histogram.ingestSecondsBounds)

    func rejected(_ reason: RejectionReason) -> UInt64 { rejected[reason.index] }
}
