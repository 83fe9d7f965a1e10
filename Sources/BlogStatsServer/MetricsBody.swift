import BlogStatsHTTP
import BlogStatsStore
import Synchronization

/// Hands a `/metrics` exposition to the server chunk by chunk; the names walk's connection
/// closes at the end, or when the server drops the response (client gone) and with it this object.
final class MetricsBody: HTTPBodyStream {
    private let exposition: Mutex<MetricsExposition?>
    private let log: @Sendable (String) -> Void

    init(_ exposition: sending MetricsExposition, log: @escaping @Sendable (String) -> Void) {
        self.exposition = Mutex(exposition)
        self.log = log
    }

    func next() throws -> [UInt8]? {
        try exposition.withLock { (exposition) throws(StoreError) -> [UInt8]? in
            guard let current = exposition else { return nil }
            do throws(StoreError) {
                if let chunk = try current.next() { return chunk }
            } catch {
                // The status line is long gone: the connection closes without the final chunk,
                // so the scraper sees a cut body (and fails the scrape); the log says why.
                log("metrics failed: \(error)")
                current.close()
                exposition = nil
                throw error
            }
            current.close()
            exposition = nil
            return nil
        }
    }
}
