import Glibc

/// Marks a store as written by one process: an exclusive `flock` on `STORE.lock`, taken without
/// waiting by `blogstats serve` and `blogstats import`. The server keeps each blog's newest state
/// in memory, so another process writing the file behind its back would make that view wrong.
///
/// A separate file, not the store itself: closing a descriptor of the store would drop the
/// POSIX locks SQLite holds on it. The kernel releases the lock when its holder exits, even on
/// `kill -9`; the file stays (removing it would race with a process about to lock it).
final class StoreWriterLock {
    private let descriptor: Int32

    private init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    static func path(forStore store: String) -> String { store + ".lock" }

    /// Takes the lock, or says which process holds it.
    static func acquire(store: String) throws(StoreError) -> StoreWriterLock {
        let path = path(forStore: store)
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw StoreError.failed("cannot open the lock file \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let busy = errno == EWOULDBLOCK
            let reason = String(cString: strerror(errno))
            let holder = busy ? readPID(descriptor) : nil
            close(descriptor)
            guard busy else { throw StoreError.failed("cannot lock \(path): \(reason)") }
            throw StoreError.unavailable(
                "\(store) is in use by another blogstats process"
                    + (holder.map { " (pid \($0), a running serve or import)" } ?? "")
                    + ": stop it first, or push through it over HTTP")
        }
        let text = Array("\(getpid())\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = text.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        return StoreWriterLock(descriptor: descriptor)
    }

    private static func readPID(_ descriptor: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        return Int32(String(decoding: buffer[0..<count], as: UTF8.self).split(separator: "\n").first ?? "")
    }

    deinit {
        close(descriptor)
    }
}
