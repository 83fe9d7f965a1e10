import BlogStatsCore
import Dispatch
import Synchronization

/// Compresses CSV pieces on another thread, in the order they were given, while the caller
/// goes on reading: on a two-core blog server the gzip time then hides behind the scan.
///
/// At most `backlog` pieces wait at a time, so a slow compressor bounds memory, not the reader.
final class Compressor: Sendable {
    private let queue = DispatchQueue(label: "blogstats.collector.gzip")
    private let slots: DispatchSemaphore
    private let output = Mutex<[Int: [UInt8]]>([:])
    let level: Int32

    init(level: Int32, backlog: Int = 4) {
        self.level = level
        slots = DispatchSemaphore(value: backlog)
    }

    /// Queues `csv` to be compressed and appended (as one gzip member) to `part`'s body.
    func submit(part: Int, csv: [UInt8]) {
        slots.wait()
        queue.async { [self] in
            let member = Gzip.deflate(csv, level: level)
            output.withLock { $0[part, default: []].append(contentsOf: member) }
            slots.signal()
        }
    }

    /// Waits for every queued piece and hands over each part's gzip body.
    func finish() -> [Int: [UInt8]] {
        queue.sync {}
        return output.withLock { bodies in
            defer { bodies = [:] }
            return bodies
        }
    }
}
