internal import CCurlLoader
import Synchronization

/// A small blocking HTTP/1.1 and HTTPS client over libcurl, which is loaded at run time on the
/// first request (`dlopen("libcurl.so.4")`), so programs that never send a request map none of it.
///
/// Thread-safe: each request runs on the calling thread with an easy handle of its own, taken
/// from a small pool; handles keep their connections, so repeated requests to one server reuse
/// a connection (the collector's `--every` mode).
public final class HTTPClient: Sendable {
    public let userAgent: String
    /// A PEM file of certificate authorities to trust instead of the system's (a self-signed receiver).
    public let certificateAuthorities: String?
    private let idle = Mutex<[EasyHandle]>([])
    private let inFlight = Mutex<[CancelFlag]>([])
    private static let poolSize = 4

    public init(userAgent: String, certificateAuthorities: String? = nil) {
        self.userAgent = userAgent
        self.certificateAuthorities = certificateAuthorities
    }

    /// Loads libcurl now (it is otherwise loaded by the first request), to fail early with a
    /// clear message when it is missing.
    public static func loadLibrary() throws(HTTPClientError) {
        if let failure = CurlLibrary.failure { throw failure }
    }

    /// The libcurl version line ("libcurl/7.88.1 OpenSSL/3.0.11 …"), loading libcurl.
    public static func libraryVersion() throws(HTTPClientError) -> String {
        try loadLibrary()
        return String(cString: ccurl_version())
    }

    /// Sends the request and waits for the whole answer, whatever its status.
    public func send(_ request: HTTPClientRequest) throws(HTTPClientError) -> HTTPClientResponse {
        let transfer = Transfer(sink: nil)
        try run(request, transfer)
        return transfer.response
    }

    /// Sends the request and hands a 2xx body to `onBody` piece by piece as it arrives (a large
    /// download in constant memory); any other status's body is returned in the response. An
    /// error thrown by `onBody` stops the transfer and is rethrown; other failures throw
    /// `HTTPClientError`.
    public func send(_ request: HTTPClientRequest, onBody: ([UInt8]) throws -> Void) throws -> HTTPClientResponse {
        try withoutActuallyEscaping(onBody) { onBody in
            let transfer = Transfer(sink: { try onBody([UInt8]($0)) })
            do {
                try run(request, transfer)
            } catch {
                throw transfer.sinkError ?? error
            }
            return transfer.response
        }
    }

    /// Stops the requests in flight (on SIGTERM): each fails with `.cancelled` within about a second.
    public func cancelAll() {
        inFlight.withLock { $0.forEach { $0.set() } }
    }

    private func run(_ request: HTTPClientRequest, _ transfer: Transfer) throws(HTTPClientError) {
        try Self.loadLibrary()
        let scheme = request.url.prefix { $0 != ":" }.lowercased()
        guard scheme == "http" || scheme == "https" else {
            throw HTTPClientError(.invalidRequest, "not an http:// or https:// URL: \(request.url)")
        }
        guard let handle = idle.withLock({ $0.popLast() }) ?? EasyHandle() else {
            throw HTTPClientError(.other, "libcurl could not make a handle")
        }
        defer {
            ccurl_easy_reset(handle.pointer)  // forgets this request's pointers, keeps the connections
            idle.withLock { if $0.count < Self.poolSize { $0.append(handle) } }
        }
        inFlight.withLock { $0.append(transfer.cancel) }
        defer { inFlight.withLock { flags in flags.removeAll { $0 === transfer.cancel } } }

        var headers: UnsafeMutablePointer<curl_slist>? = nil
        defer { ccurl_slist_free_all(headers) }
        for line in headerLines(request) { headers = ccurl_slist_append(headers, line) }
        let errorText = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        defer { errorText.deallocate() }
        errorText.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)

        let curl = handle.pointer
        transfer.handle = curl
        let context = Unmanaged.passUnretained(transfer).toOpaque()
        _ = ccurl_setopt_string(curl, CURLOPT_URL, request.url)
        _ = ccurl_setopt_string(curl, CURLOPT_PROTOCOLS_STR, "http,https")
        _ = ccurl_setopt_string(curl, CURLOPT_USERAGENT, userAgent)
        _ = ccurl_setopt_pointer(curl, CURLOPT_HTTPHEADER, headers)
        _ = ccurl_setopt_pointer(curl, CURLOPT_ERRORBUFFER, errorText)
        _ = ccurl_setopt_string(curl, CURLOPT_ACCEPT_ENCODING, "")  // every encoding libcurl decodes
        _ = ccurl_setopt_long(curl, CURLOPT_NOSIGNAL, 1)  // other threads run; timeouts without SIGALRM
        if let certificateAuthorities { _ = ccurl_setopt_string(curl, CURLOPT_CAINFO, certificateAuthorities) }
        _ = ccurl_setopt_long(curl, CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(request.connectTimeout))
        _ = ccurl_setopt_long(curl, CURLOPT_TIMEOUT_MS, Self.milliseconds(request.timeout))
        // Silence: fewer than 1 byte/s for connectTimeout (whole seconds, at least 1).
        if request.connectTimeout > 0 {
            _ = ccurl_setopt_long(curl, CURLOPT_LOW_SPEED_LIMIT, 1)
            _ = ccurl_setopt_long(curl, CURLOPT_LOW_SPEED_TIME, max(1, Int(request.connectTimeout.rounded(.up))))
        }
        _ = ccurl_setopt_data_callback(curl, CURLOPT_WRITEFUNCTION, Transfer.writeBody)
        _ = ccurl_setopt_pointer(curl, CURLOPT_WRITEDATA, context)
        _ = ccurl_setopt_data_callback(curl, CURLOPT_HEADERFUNCTION, Transfer.writeHeader)
        _ = ccurl_setopt_pointer(curl, CURLOPT_HEADERDATA, context)
        _ = ccurl_setopt_progress_callback(curl, CURLOPT_XFERINFOFUNCTION, Transfer.progress)
        _ = ccurl_setopt_pointer(curl, CURLOPT_XFERINFODATA, context)
        _ = ccurl_setopt_long(curl, CURLOPT_NOPROGRESS, 0)

        let method = request.method.uppercased()
        let code = request.body.withUnsafeBytes { body -> CURLcode in
            switch method {
            case "GET" where body.isEmpty, "HEAD" where body.isEmpty:
                _ = ccurl_setopt_long(curl, method == "GET" ? CURLOPT_HTTPGET : CURLOPT_NOBODY, 1)
                // Redirects only for reads: a POST is never turned into a GET.
                _ = ccurl_setopt_long(curl, CURLOPT_FOLLOWLOCATION, 1)
                _ = ccurl_setopt_long(curl, CURLOPT_MAXREDIRS, 5)
                _ = ccurl_setopt_string(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
            default:
                // The body from memory with its length: Content-Length, never chunked; not copied.
                _ = ccurl_setopt_long(curl, CURLOPT_POST, 1)
                _ = ccurl_setopt_offset(curl, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count))
                _ = ccurl_setopt_pointer(curl, CURLOPT_POSTFIELDS, body.baseAddress ?? Self.emptyBody)
                if method != "POST" { _ = ccurl_setopt_string(curl, CURLOPT_CUSTOMREQUEST, method) }
            }
            return ccurl_easy_perform(curl)
        }
        transfer.handle = nil
        if code == CURLE_OK {
            var status = 0
            _ = ccurl_getinfo_long(curl, CURLINFO_RESPONSE_CODE, &status)
            transfer.status = status
            return
        }
        throw failure(code, errorText: String(cString: errorText), request: request, transfer: transfer, curl: curl)
    }

    /// The request's headers, plus blanks that remove libcurl's defaults the request did not set.
    private func headerLines(_ request: HTTPClientRequest) -> [String] {
        var lines: [String] = []
        var named = Set<String>()
        for header in request.headers {
            // A line break would start another header: such a value is dropped.
            guard !header.value.contains(where: { $0 == "\r" || $0 == "\n" }) else { continue }
            named.insert(header.name.lowercased())
            lines.append(header.value.isEmpty ? "\(header.name);" : "\(header.name): \(header.value)")
        }
        // No `Expect: 100-continue` round trip before large bodies, and no form content type.
        if !named.contains("expect") { lines.append("Expect:") }
        if !named.contains("content-type") { lines.append("Content-Type:") }
        return lines
    }

    private func failure(
        _ code: CURLcode, errorText: String, request: HTTPClientRequest, transfer: Transfer,
        curl: UnsafeMutableRawPointer
    ) -> HTTPClientError {
        let message = errorText.isEmpty ? String(cString: ccurl_easy_strerror(code)) : errorText
        if transfer.cancel.isSet { return HTTPClientError(.cancelled, "cancelled") }
        switch code {
        case CURLE_OPERATION_TIMEDOUT:
            var elapsed: curl_off_t = 0  // microseconds
            _ = ccurl_getinfo_offset(curl, CURLINFO_TOTAL_TIME_T, &elapsed)
            let total = request.timeout > 0 && Double(elapsed) >= request.timeout * 1e6 - 50_000
            return HTTPClientError(total ? .timeout : .connectTimeout, message)
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: return HTTPClientError(.resolve, message)
        case CURLE_COULDNT_CONNECT: return HTTPClientError(.connect, message)
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
            CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH,
            CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CRL_BADFILE, CURLE_USE_SSL_FAILED, CURLE_SSL_ENGINE_NOTFOUND,
            CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_ENGINE_INITFAILED, CURLE_SSL_SHUTDOWN_FAILED:
            return HTTPClientError(.tls, message)
        case CURLE_GOT_NOTHING, CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_PARTIAL_FILE, CURLE_HTTP2,
            CURLE_HTTP2_STREAM:
            return HTTPClientError(.connectionLost, message)
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL: return HTTPClientError(.invalidRequest, message)
        default: return HTTPClientError(.other, message)
        }
    }

    private static func milliseconds(_ seconds: Double) -> Int {
        seconds > 0 ? max(1, Int((seconds * 1000).rounded(.up))) : 0
    }

    /// libcurl needs a non-null pointer for an empty body (null would make it read from stdin).
    // nonisolated(unsafe): allocated once, never written, never freed.
    nonisolated(unsafe) private static let emptyBody = UnsafeRawPointer(
        UnsafeMutableRawPointer.allocate(byteCount: 1, alignment: 1))
}
