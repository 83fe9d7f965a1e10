import Glibc

/// One run at a time delivers from a spool: an exclusive `flock` on `spool/.lock`, taken
/// without waiting. The kernel drops it when the holder exits, even on `kill -9`.
public final class SpoolLock: Sendable {
    public enum Attempt: Sendable {
        case acquired(SpoolLock)
        /// Another process holds it (its pid, when it could be read).
        case held(pid: Int32?)
    }

    private let descriptor: Int32

    private init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    public static func acquire(_ spool: Spool) throws(CollectorError) -> Attempt {
        let descriptor = open(spool.lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw AtomicFile.failure("cannot open the lock file \(spool.lockPath)") }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let busy = errno == EWOULDBLOCK
            let error = AtomicFile.failure("cannot lock \(spool.lockPath)")
            let holder = busy ? readPID(descriptor) : nil
            close(descriptor)
            if busy { return .held(pid: holder) }
            throw error
        }
        // The holder's pid, for the message another run prints.
        let text = Array("\(getpid())\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = text.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        return .acquired(SpoolLock(descriptor: descriptor))
    }

    private static func readPID(_ descriptor: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        let text = String(decoding: buffer[0..<count], as: UTF8.self).split(separator: "\n").first ?? ""
        return Int32(text)
    }

    deinit {
        close(descriptor)
    }
}
