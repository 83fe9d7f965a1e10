import Glibc

/// A file's bytes mapped read-only: a history of any size is read without holding it in memory
/// (the kernel pages it in and out). Standard input is first copied to a temporary file.
final class MappedFile {
    let bytes: UnsafeBufferPointer<UInt8>
    private let base: UnsafeMutableRawPointer?
    private let length: Int

    init(path: String) throws(ImportFileError) {
        let descriptor = path == "-" ? try Self.spoolStandardInput() : open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw ImportFileError("cannot open \(path): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw ImportFileError("cannot read \(path): \(String(cString: strerror(errno)))")
        }
        length = Int(status.st_size)
        guard length > 0 else {
            base = nil
            bytes = UnsafeBufferPointer(start: nil, count: 0)
            return
        }
        guard let mapped = mmap(nil, length, PROT_READ, MAP_PRIVATE, descriptor, 0), mapped != MAP_FAILED else {
            throw ImportFileError("cannot map \(path): \(String(cString: strerror(errno)))")
        }
        _ = madvise(mapped, length, MADV_SEQUENTIAL)
        base = mapped
        bytes = UnsafeBufferPointer(start: mapped.assumingMemoryBound(to: UInt8.self), count: length)
    }

    /// Drops the pages before `offset` from memory (they are read again from the file if ever
    /// needed), so reading the file once through keeps only a few MB resident.
    func release(upTo offset: Int) {
        guard let base else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let end = min(offset, length) / page * page
        guard end > 0 else { return }
        _ = madvise(base, end, MADV_DONTNEED)
    }

    deinit {
        if let base { munmap(base, length) }
    }

    /// Standard input into an unlinked temporary file, returned open.
    private static func spoolStandardInput() throws(ImportFileError) -> Int32 {
        var template = Array("/tmp/blogstats-import-XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw ImportFileError("cannot create a temporary file for standard input") }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else {
                close(descriptor)
                throw ImportFileError("cannot read standard input: \(String(cString: strerror(errno)))")
            }
            if count == 0 { break }
            var offset = 0
            while offset < count {
                let written = buffer.withUnsafeBytes { write(descriptor, $0.baseAddress! + offset, count - offset) }
                guard written > 0 else {
                    close(descriptor)
                    throw ImportFileError("cannot spool standard input: \(String(cString: strerror(errno)))")
                }
                offset += written
            }
        }
        return descriptor
    }
}

/// A history file could not be read or is malformed.
public struct ImportFileError: Error, Sendable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
