import BlogStatsCore
import Synchronization

/// The receiver's ingest counters, updated by every push and read by `/metrics`. Owned by the
/// Receiver; the IngestHandler and the HTTP server's early refusals (413 before the body) count
/// into it from their threads.
final class IngestCounters: Sendable {
    private let counts = Mutex(IngestCounts())

    /// A push stored (or recognised as a duplicate): `rows` new rows, `seconds` spent.
    func stored(rows: Int, seconds: Double) {
        counts.withLock { counts in
            counts.received += 1
            counts.rows += UInt64(max(rows, 0))
            counts.duration.observe(seconds)
        }
    }

    /// A push refused with `status`.
    func rejected(status: Int) {
        let reason = RejectionReason(status: status)
        counts.withLock { counts in
            counts.received += 1
            counts.rejected[reason.index] += 1
        }
    }

    /// A copy of the figures now.
    func current() -> IngestCounts { counts.withLock { $0 } }
}
