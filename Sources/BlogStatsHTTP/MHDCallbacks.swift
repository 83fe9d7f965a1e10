import CMicroHTTPD
import Glibc
import Synchronization

/// The C entry points libmicrohttpd calls: static closure literals (the only form Swift
/// turns into C function pointers) forwarding to static methods. `cls` is always the
/// unretained ServerContext and `con_cls` the retained RequestState of the request.
enum MHDCallbacks {
    static let uriLogPointer: URILogCallback = { uriLog($0, $1, $2) }
    static let completedPointer: MHD_RequestCompletedCallback = { completed($0, $1, $2, $3) }
    static let accessPointer: MHD_AccessHandlerCallback = { access($0, $1, $2, $3, $4, $5, $6, $7) }
    static let collectHeaderPointer: MHD_KeyValueIterator = { collectHeader($0, $1, $2, $3) }
    static let loggerPointer: MHD_LogCallback = { logger($0, $1, $2) }

    /// microhttpd.h has no typedef for the URI-log hook's signature.
    typealias URILogCallback =
        @convention(c) (
            UnsafeMutableRawPointer?, UnsafePointer<CChar>?, OpaquePointer?
        ) -> UnsafeMutableRawPointer?

    /// First sight of a request (the raw target, before libmicrohttpd unescapes it):
    /// start the clock and count the request in flight.
    static func uriLog(
        _ cls: UnsafeMutableRawPointer?, _ uri: UnsafePointer<CChar>?, _ connection: OpaquePointer?
    ) -> UnsafeMutableRawPointer? {
        guard let cls else { return nil }
        let context = Unmanaged<ServerContext>.fromOpaque(cls).takeUnretainedValue()
        let peer = cmhd_client_address(connection).flatMap(SocketAddress.ipAddress) ?? IPAddress(high: 0, low: 0)
        let state = RequestState(start: .now, rawTarget: uri.map { String(cString: $0) } ?? "/", peer: peer)
        context.inFlight.add(1, ordering: .relaxed)
        return Unmanaged.passRetained(state).toOpaque()
    }

    /// The request is over (answered, failed or cut by shutdown): release its state.
    static func completed(
        _ cls: UnsafeMutableRawPointer?, _ connection: OpaquePointer?,
        _ conCls: UnsafeMutablePointer<UnsafeMutableRawPointer?>?, _ code: MHD_RequestTerminationCode
    ) {
        guard let cls, let conCls, let statePointer = conCls.pointee else { return }
        conCls.pointee = nil
        Unmanaged<RequestState>.fromOpaque(statePointer).release()
        let context = Unmanaged<ServerContext>.fromOpaque(cls).takeUnretainedValue()
        context.inFlight.subtract(1, ordering: .releasing)
    }

    /// Called once when the headers are in, once per piece of body, and once more when
    /// the request is complete; only the first and the last may queue a response.
    static func access(
        _ cls: UnsafeMutableRawPointer?, _ connection: OpaquePointer?, _ url: UnsafePointer<CChar>?,
        _ method: UnsafePointer<CChar>?, _ version: UnsafePointer<CChar>?, _ uploadData: UnsafePointer<CChar>?,
        _ uploadDataSize: UnsafeMutablePointer<Int>?, _ conCls: UnsafeMutablePointer<UnsafeMutableRawPointer?>?
    ) -> MHD_Result {
        // Without the URI-log hook's state there is nothing to answer with: close.
        guard let cls, let connection, let uploadDataSize, let statePointer = conCls?.pointee else { return .NO }
        let context = Unmanaged<ServerContext>.fromOpaque(cls).takeUnretainedValue()
        let state = Unmanaged<RequestState>.fromOpaque(statePointer).takeUnretainedValue()

        if !state.headersSeen {
            state.headersSeen = true
            state.method = method.map { String(cString: $0) } ?? ""
            _ = MHD_get_connection_values(connection, .HEADER_KIND, collectHeaderPointer, statePointer)
            // Answering now, before any body, is what keeps libmicrohttpd from sending
            // "100 Continue": an oversized upload is refused without being transferred.
            if let early = state.earlyRejection(maxBodyBytes: context.maxBodyBytes) {
                context.earlyAnswer?(state.method, URIDecoding.split(state.rawTarget).path, early.status)
                return respond(early, on: connection, state: state, context: context)
            }
            return .YES
        }
        let count = uploadDataSize.pointee
        if count > 0 {
            state.appendBody(UnsafeRawBufferPointer(start: uploadData, count: count), limit: context.maxBodyBytes)
            uploadDataSize.pointee = 0
            // libmicrohttpd 0.9.75 cannot queue a response mid-body, so an oversized chunked
            // body is drained to give the client its 413, up to a bound, then the connection dropped.
            return state.discardedBytes > context.maxBodyBytes + context.maxDiscardBytes ? .NO : .YES
        }
        if state.bodyTooLarge {
            context.earlyAnswer?(state.method, URIDecoding.split(state.rawTarget).path, 413)
            return respond(RequestState.tooLarge(context.maxBodyBytes), on: connection, state: state, context: context)
        }
        let response = context.handler(state.makeRequest())
        state.body = []  // the handler has its own copy; don't hold it while the response is sent
        return respond(response, on: connection, state: state, context: context)
    }

    /// MHD_KeyValueIterator over the request headers; `cls` is the RequestState.
    static func collectHeader(
        _ cls: UnsafeMutableRawPointer?, _ kind: MHD_ValueKind, _ key: UnsafePointer<CChar>?,
        _ value: UnsafePointer<CChar>?
    ) -> MHD_Result {
        guard let cls, let key else { return .YES }
        let state = Unmanaged<RequestState>.fromOpaque(cls).takeUnretainedValue()
        state.addHeader(name: String(cString: key), value: value.map { String(cString: $0) } ?? "")
        return .YES
    }

    /// libmicrohttpd's diagnostics (printf-style); `cls` is the ServerContext.
    static func logger(_ cls: UnsafeMutableRawPointer?, _ format: UnsafePointer<CChar>?, _ arguments: CVaListPointer?) {
        guard let cls, let format, let arguments else { return }
        var buffer = [CChar](repeating: 0, count: 1024)
        _ = vsnprintf(&buffer, buffer.count, format, arguments)
        var message = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        while message.last?.isNewline == true { message.removeLast() }
        Unmanaged<ServerContext>.fromOpaque(cls).takeUnretainedValue().log(message)
    }

    private static func respond(
        _ response: HTTPResponse, on connection: OpaquePointer, state: RequestState, context: ServerContext
    ) -> MHD_Result {
        // libmicrohttpd refuses codes outside 100...999 and 1xx is not a final answer.
        let status = (200...999).contains(response.status) ? response.status : 500
        guard let mhdResponse = ResponseBridge.makeResponse(response) else { return .NO }
        let result = MHD_queue_response(connection, UInt32(status), mhdResponse)
        // The queue holds its own reference; ours goes now.
        MHD_destroy_response(mhdResponse)
        if let accessLog = context.accessLog {
            accessLog(state.accessLogLine(status: status, note: response.logNote, now: .now))
        }
        return result
    }
}
