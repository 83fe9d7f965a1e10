import BlogStatsHTTP
import Synchronization

/// Limits password guessing: after `limit` wrong passwords from one address (an IPv6 /64
/// counts as one address) within `window` seconds, attempts from it wait for the window's end.
final class LoginThrottle: Sendable {
    let limit: Int
    let window: Int64
    let capacity: Int
    private struct Entry {
        var start: Int64
        var failures: Int
    }
    private let entries = Mutex<[CIDR: Entry]>([:])

    init(limit: Int = 5, window: Int64 = 900, capacity: Int = 10_000) {
        self.limit = limit
        self.window = window
        self.capacity = capacity
    }

    /// Seconds until `client` may try again, or nil when it may now.
    func wait(_ client: IPAddress, now: Int64) -> Int64? {
        let key = Self.key(client)
        return entries.withLock { entries in
            guard let entry = entries[key], entry.failures >= limit, now < entry.start + window else { return nil }
            return entry.start + window - now
        }
    }

    func failed(_ client: IPAddress, now: Int64) {
        let key = Self.key(client)
        entries.withLock { entries in
            if entries.count >= capacity { entries = entries.filter { now < $0.value.start + window } }
            if var entry = entries[key], now < entry.start + window {
                entry.failures += 1
                entries[key] = entry
            } else if entries.count < capacity {
                entries[key] = Entry(start: now, failures: 1)
            }
        }
    }

    func succeeded(_ client: IPAddress) {
        let key = Self.key(client)
        _ = entries.withLock { $0.removeValue(forKey: key) }
    }

    /// One key per IPv4 address and per IPv6 /64 (what one home or host usually has).
    static func key(_ address: IPAddress) -> CIDR {
        CIDR(address.description + (address.isIPv4 ? "/32" : "/64"))!
    }
}
