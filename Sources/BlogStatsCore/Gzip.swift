internal import CZlib

/// gzip for request bodies: inflation with a hard output limit, so a small bomb cannot fill memory.
public enum Gzip {
    public enum Failure: Error, Sendable, Equatable {
        case tooLarge(limit: Int)
        case corrupt(String)
    }

    /// Inflates a gzip (or zlib) stream; fails as soon as the output would exceed `limit` bytes.
    public static func inflate(_ input: [UInt8], limit: Int) throws(Failure) -> [UInt8] {
        var stream = z_stream()
        // 15 + 32: a window of 32 KiB and automatic detection of the gzip or zlib header.
        guard czlib_inflate_init2(&stream, 15 + 32) == Z_OK else { throw .corrupt("cannot start zlib") }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        output.reserveCapacity(min(limit, max(input.count * 4, 4096)))
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var status: Int32 = Z_OK
        var failure: Failure? = nil
        input.withUnsafeBufferPointer { inputBytes in
            stream.next_in = UnsafeMutablePointer(mutating: inputBytes.baseAddress)
            stream.avail_in = UInt32(inputBytes.count)
            repeat {
                chunk.withUnsafeMutableBufferPointer { buffer in
                    stream.next_out = buffer.baseAddress
                    stream.avail_out = UInt32(buffer.count)
                    status = CZlib.inflate(&stream, Z_NO_FLUSH)
                }
                let produced = chunk.count - Int(stream.avail_out)
                if output.count + produced > limit {
                    failure = .tooLarge(limit: limit)
                    return
                }
                output.append(contentsOf: chunk[0..<produced])
                if status == Z_STREAM_END && stream.avail_in > 0 {
                    // Concatenated gzip members are legal: continue with the next one.
                    guard inflateReset(&stream) == Z_OK else { break }
                    status = Z_OK
                }
            } while status == Z_OK && (stream.avail_in > 0 || stream.avail_out == 0)
            if failure == nil && status != Z_STREAM_END {
                let reason = stream.msg.map { String(cString: $0) } ?? "truncated stream"
                failure = .corrupt(reason)
            }
        }
        if let failure { throw failure }
        return output
    }

    /// Compresses bytes as one gzip member.
    public static func deflate(_ input: [UInt8], level: Int32 = 6) -> [UInt8] {
        var stream = z_stream()
        guard czlib_deflate_init2(&stream, level, 15 + 16) == Z_OK else { return [] }
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(input.count))) + 32)
        input.withUnsafeBufferPointer { inputBytes in
            output.withUnsafeMutableBufferPointer { outputBytes in
                stream.next_in = UnsafeMutablePointer(mutating: inputBytes.baseAddress)
                stream.avail_in = UInt32(inputBytes.count)
                stream.next_out = outputBytes.baseAddress
                stream.avail_out = UInt32(outputBytes.count)
                _ = CZlib.deflate(&stream, Z_FINISH)
            }
        }
        output.removeLast(Int(stream.avail_out))
        return output
    }
}
