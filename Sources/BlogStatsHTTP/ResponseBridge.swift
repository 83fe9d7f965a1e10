import CMicroHTTPD

/// Turns an HTTPResponse into a libmicrohttpd response object (the caller owns the result).
enum ResponseBridge {
    /// Pieces libmicrohttpd asks a stream for at most; big enough for few calls, small enough to stay flat.
    static let streamBlockSize = 64 * 1024

    static func makeResponse(_ response: HTTPResponse) -> OpaquePointer? {
        let mhdResponse: OpaquePointer?
        switch response.body {
        case .bytes(let bytes):
            // MUST_COPY: the Swift array's storage is not ours to lend past this call.
            mhdResponse = bytes.withUnsafeBytes { raw in
                MHD_create_response_from_buffer(
                    raw.count, UnsafeMutableRawPointer(mutating: raw.baseAddress), .RESPMEM_MUST_COPY)
            }
        case .stream(let stream):
            let reader = Unmanaged.passRetained(StreamReader(stream))
            // Unknown size (UINT64_MAX, which Swift does not import as MHD_SIZE_UNKNOWN):
            // libmicrohttpd sends it chunked and calls StreamReader.free when done.
            mhdResponse = MHD_create_response_from_callback(
                UInt64.max, streamBlockSize, StreamReader.readPointer, reader.toOpaque(), StreamReader.freePointer)
            // On failure the free callback is never called, so the reference is still ours.
            if mhdResponse == nil { reader.release() }
        }
        guard let mhdResponse else { return nil }
        for (name, value) in response.headers {
            // libmicrohttpd rejects CR or LF anywhere (and space or tab in a name), which stops
            // header injection; such a header is dropped rather than failing the whole response.
            _ = MHD_add_response_header(mhdResponse, name, value)
        }
        return mhdResponse
    }
}
