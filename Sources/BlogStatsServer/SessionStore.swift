import Synchronization

/// Dashboard sessions, in memory: a restart signs everybody out, which is fine for a
/// password that opens read-only pages. Bounded, so a flood of sign-ins cannot grow it.
final class SessionStore: Sendable {
    /// How long a session lasts from sign-in.
    let lifetime: Int64
    let capacity: Int
    /// Token → expiry (seconds since the epoch).
    private let sessions = Mutex<[String: Int64]>([:])

    init(lifetime: Int64 = 30 * 86_400, capacity: Int = 10_000) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    /// Opens a session and returns its token.
    func open(now: Int64) throws(SessionToken.Failure) -> String {
        let token = try SessionToken.generate()
        sessions.withLock { sessions in
            if sessions.count >= capacity {
                sessions = sessions.filter { $0.value > now }
                // Still full of live sessions: the one closest to expiry makes room.
                if sessions.count >= capacity, let oldest = sessions.min(by: { $0.value < $1.value }) {
                    sessions[oldest.key] = nil
                }
            }
            sessions[token] = now + lifetime
        }
        return token
    }

    func isValid(_ token: String, now: Int64) -> Bool {
        sessions.withLock { sessions in
            guard let expiry = sessions[token] else { return false }
            if expiry > now { return true }
            sessions[token] = nil
            return false
        }
    }

    func close(_ token: String) {
        _ = sessions.withLock { $0.removeValue(forKey: token) }
    }
}
