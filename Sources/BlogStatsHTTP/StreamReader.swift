import CMicroHTTPD

/// Adapts an HTTPBodyStream to libmicrohttpd's pull callback, which asks for at most
/// `max` bytes at a time while the stream hands out pieces of any size.
///
/// Retained for libmicrohttpd in ResponseBridge and released in `free`; only the one
/// thread that sends the response calls `read`, so the buffer needs no lock.
final class StreamReader {
    private let stream: any HTTPBodyStream
    private var pending: [UInt8] = []
    private var offset = 0

    /// C function pointers for libmicrohttpd (closure literals, see MHDCallbacks).
    static let readPointer: MHD_ContentReaderCallback = { read($0, $1, $2, $3) }
    static let freePointer: MHD_ContentReaderFreeCallback = { free($0) }

    init(_ stream: any HTTPBodyStream) {
        self.stream = stream
    }

    /// MHD_ContentReaderCallback: copies up to `max` bytes into `buffer`; -1 ends the stream.
    static func read(
        _ cls: UnsafeMutableRawPointer?, _ position: UInt64, _ buffer: UnsafeMutablePointer<CChar>?, _ max: Int
    ) -> Int {
        let endOfStream = -1  // MHD_CONTENT_READER_END_OF_STREAM
        let endWithError = -2  // MHD_CONTENT_READER_END_WITH_ERROR: close without the last chunk
        guard let cls, let buffer, max > 0 else { return endOfStream }
        let reader = Unmanaged<StreamReader>.fromOpaque(cls).takeUnretainedValue()
        // Never return 0: with internal threads libmicrohttpd would just ask again at once.
        while reader.offset == reader.pending.count {
            do {
                guard let next = try reader.stream.next() else { return endOfStream }
                reader.pending = next
            } catch {
                return endWithError
            }
            reader.offset = 0
        }
        let count = min(max, reader.pending.count - reader.offset)
        reader.pending.withUnsafeBytes { raw in
            UnsafeMutableRawPointer(buffer).copyMemory(from: raw.baseAddress! + reader.offset, byteCount: count)
        }
        reader.offset += count
        return count
    }

    /// MHD_ContentReaderFreeCallback: the response is gone; drop our reference.
    static func free(_ cls: UnsafeMutableRawPointer?) {
        guard let cls else { return }
        Unmanaged<StreamReader>.fromOpaque(cls).release()
    }
}
