import Dispatch
import Synchronization

/// Reads (and decodes) the next page while the current one is being stored, so InfluxDB and
/// the store work at the same time; at most two pages are in memory.
// @unchecked: `pager` is only used on `queue`, one fetch at a time; the page is handed over
// through `slot` (a Mutex) and `ready`.
final class PagePrefetcher: @unchecked Sendable {
    private let pager: InfluxPager
    private let queue = DispatchQueue(label: "blogstats.import.fetch")
    private let ready = DispatchSemaphore(value: 0)
    private let slot = Mutex<Result<[InfluxPoint]?, InfluxError>?>(nil)

    init(_ pager: InfluxPager) {
        self.pager = pager
        fetch()
    }

    private func fetch() {
        queue.async {
            let result: Result<[InfluxPoint]?, InfluxError>
            do throws(InfluxError) {
                result = .success(try self.pager.next())
            } catch {
                result = .failure(error)
            }
            self.slot.withLock { $0 = result }
            self.ready.signal()
        }
    }

    /// The next page (waiting for it if it is still being read); nil after the last.
    func next() throws(InfluxError) -> [InfluxPoint]? {
        ready.wait()
        let result = slot.withLock { value in
            defer { value = nil }
            return value!
        }
        let page = try result.get()
        if page != nil { fetch() }
        return page
    }
}
