public import BlogStatsCore
import Synchronization

/// The embedded store: one SQLite file in WAL mode; a snapshot is on disk before `ingest` returns.
public final class SQLiteStore: SnapshotStore {
    private let engine: Mutex<StoreEngine?>
    public let path: String

    /// Opens (or creates) the store and migrates its schema.
    /// - Parameter busyTimeout: how long a write waits for another process's lock before
    ///   the store reports itself unavailable.
    public init(path: String, busyTimeoutMilliseconds: Int = 2000) throws(StoreError) {
        self.path = path
        engine = Mutex(try StoreEngine(path: path, busyTimeoutMilliseconds: busyTimeoutMilliseconds))
    }

    public func ingest(_ snapshots: [Snapshot]) throws(StoreError) -> [IngestSummary] {
        try engine.withLock { (engine) throws(StoreError) -> [IngestSummary] in
            guard let engine else { throw StoreError.failed("the store is closed") }
            return try engine.ingest(snapshots)
        }
    }

    public func health() -> StoreHealth {
        engine.withLock { engine in
            engine?.health() ?? StoreHealth(writable: false, problem: "the store is closed", lastSnapshots: [])
        }
    }

    public func close() {
        engine.withLock { engine in
            engine?.close()
            engine = nil
        }
    }
}
