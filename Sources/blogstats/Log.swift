@preconcurrency import Glibc

/// Log lines go to stderr, one write each so lines from several threads never interleave.
enum Log {
    static func line(_ text: String) {
        var bytes = Array(text.utf8)
        bytes.append(UInt8(ascii: "\n"))
        bytes.withUnsafeBytes { buffer in
            _ = write(2, buffer.baseAddress, buffer.count)
        }
    }
}
