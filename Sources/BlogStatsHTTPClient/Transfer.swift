internal import CCurlLoader

/// What one request collects while libcurl runs it on the calling thread; libcurl's callbacks
/// reach it through the context pointer they are given.
final class Transfer {
    /// A non-2xx body streamed with `onBody` is kept for the error message instead, up to this.
    static let errorBodyLimit = 1 << 20

    let cancel = CancelFlag()
    /// Receives a 2xx body piece by piece; nil keeps the whole body in `body`.
    private let sink: ((UnsafeRawBufferPointer) throws -> Void)?
    private(set) var headers: [String: String] = [:]
    private(set) var body: [UInt8] = []
    /// Decided at the first body byte, when the status is known.
    private var streams: Bool? = nil
    /// What the sink threw; the transfer stopped there.
    private(set) var sinkError: (any Error)? = nil
    var handle: UnsafeMutableRawPointer? = nil
    var status = 0

    var response: HTTPClientResponse { HTTPClientResponse(status: status, headers: headers, body: body) }

    init(sink: ((UnsafeRawBufferPointer) throws -> Void)?) {
        self.sink = sink
    }

    /// False stops the transfer.
    func receive(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let sink else {
            body.append(contentsOf: bytes)
            return true
        }
        if streams == nil {
            var status = 0
            if let handle { _ = ccurl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status) }
            streams = (200..<300).contains(status)
        }
        if streams == true {
            do {
                try sink(bytes)
            } catch {
                sinkError = error
                return false
            }
        } else if body.count < Self.errorBodyLimit {
            body.append(contentsOf: bytes.prefix(Self.errorBodyLimit - body.count))
        }
        return true
    }

    /// One header line as libcurl hands it over, CRLF included.
    func header(_ line: UnsafeRawBufferPointer) {
        // A status line starts another response (after `100 Continue` or a redirect): only the
        // last one's headers count.
        if line.starts(with: "HTTP/".utf8) {
            headers = [:]
            return
        }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { return }
        let blank: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D || $0 == 0x0A }
        var start = colon + 1
        var end = line.count
        while start < end && blank(line[start]) { start += 1 }
        while end > start && blank(line[end - 1]) { end -= 1 }
        let name = String(decoding: line[..<colon], as: UTF8.self).lowercased()
        let value = String(decoding: line[start..<end], as: UTF8.self)
        headers[name] = headers[name].map { $0 + ", " + value } ?? value
    }

    static func from(_ context: UnsafeMutableRawPointer?) -> Transfer {
        Unmanaged<Transfer>.fromOpaque(context!).takeUnretainedValue()
    }

    // libcurl's callbacks: static members (not top-level code, which would be main-actor isolated).

    static let writeBody: ccurl_data_callback = { data, size, count, context in
        let bytes = UnsafeRawBufferPointer(start: data, count: size * count)
        return Transfer.from(context).receive(bytes) ? size * count : 0
    }

    static let writeHeader: ccurl_data_callback = { data, size, count, context in
        Transfer.from(context).header(UnsafeRawBufferPointer(start: data, count: size * count))
        return size * count
    }

    static let progress: ccurl_progress_callback = { context, _, _, _, _ in
        Transfer.from(context).cancel.isSet ? 1 : 0
    }
}
