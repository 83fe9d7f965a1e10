import BlogStatsCore
import Foundation

/// What is in a spool directory, read the way a person (or the replay) would.
struct SpoolFiles {
    let directory: String

    /// Snapshot files waiting for replay, sorted (oldest first).
    var snapshots: [String] { names(directory).filter { $0.hasSuffix(".csv.gz") && !$0.hasPrefix(".") }.sorted() }
    var rejected: [String] { names(directory + "/rejected").sorted() }
    var temporary: [String] { names(directory).filter { $0.hasPrefix(".tmp.") } }
    /// Every file a writer may be writing (whatever it calls it): all but the lock and `rejected/`.
    var files: Set<String> { Set(names(directory)).subtracting([".lock", "rejected"]) }

    /// Inflates and parses one spooled file with the receiver's own parser.
    func rows(_ name: String, in subdirectory: String = "") throws -> [SnapshotRow] {
        let path = directory + (subdirectory.isEmpty ? "" : "/" + subdirectory) + "/" + name
        guard let data = FileManager.default.contents(atPath: path) else { throw TestFailure("cannot read \(path)") }
        return try SnapshotCSV.parse(try Gzip.inflate([UInt8](data), limit: 1 << 30))
    }

    private func names(_ path: String) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
    }
}

/// RFC 3339 for `--captured-at`.
func rfc3339(_ seconds: Int64) -> String { Timestamp.format(seconds) }

/// Now, whole seconds.
func nowSeconds() -> Int64 { Int64(Date().timeIntervalSince1970) }
