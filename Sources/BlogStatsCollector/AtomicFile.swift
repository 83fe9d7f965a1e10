import Glibc

/// Writes a file so that it exists either whole or not at all, even across `kill -9` or a
/// power cut: a temporary file (`.tmp.PID.…`, never taken for a snapshot), fsync, rename,
/// fsync of the directory.
enum AtomicFile {
    static let temporaryPrefix = ".tmp."

    static func write(_ bytes: [UInt8], directory: String, name: String) throws(CollectorError) {
        let temporary = "\(directory)/\(temporaryPrefix)\(getpid()).\(UInt32.random(in: 0...UInt32.max)).\(name)"
        let target = "\(directory)/\(name)"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw failure("cannot create \(temporary)") }
        var written = 0
        let result: Int32 = bytes.withUnsafeBytes { buffer in
            while written < buffer.count {
                let count = Glibc.write(descriptor, buffer.baseAddress! + written, buffer.count - written)
                if count < 0 {
                    if errno == EINTR { continue }
                    return -1
                }
                written += count
            }
            return fsync(descriptor)
        }
        if result != 0 {
            let error = failure("cannot write \(temporary)")
            close(descriptor)
            unlink(temporary)
            throw error
        }
        close(descriptor)
        guard rename(temporary, target) == 0 else {
            let error = failure("cannot rename \(temporary) to \(target)")
            unlink(temporary)
            throw error
        }
        try syncDirectory(directory)
    }

    /// Moves a file to another directory on the same file system, durably.
    static func move(_ source: String, to target: String, directories: [String]) throws(CollectorError) {
        guard rename(source, target) == 0 else { throw failure("cannot move \(source) to \(target)") }
        for directory in directories { try syncDirectory(directory) }
    }

    static func remove(_ path: String, directory: String) throws(CollectorError) {
        guard unlink(path) == 0 || errno == ENOENT else { throw failure("cannot remove \(path)") }
        try syncDirectory(directory)
    }

    /// A rename is durable only once the directory holding it is on disk.
    static func syncDirectory(_ directory: String) throws(CollectorError) {
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure("cannot open directory \(directory)") }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw failure("cannot sync directory \(directory)") }
    }

    /// Temporary files whose writer is gone (killed mid-write) are removed; a live writer's stay.
    static func removeAbandoned(in directory: String, names: [String]) -> Int {
        var removed = 0
        for name in names where name.hasPrefix(temporaryPrefix) {
            let pid = name.dropFirst(temporaryPrefix.count).prefix(while: { $0 != "." })
            guard let pid = Int32(pid), pid > 0, kill(pid, 0) != 0, errno == ESRCH else { continue }
            if unlink("\(directory)/\(name)") == 0 { removed += 1 }
        }
        return removed
    }

    static func failure(_ what: String) -> CollectorError {
        CollectorError("\(what): \(String(cString: strerror(errno)))")
    }
}
