/// Per-request state handed to libmicrohttpd as `con_cls`: created (retained) in the
/// URI-log hook, released in the completion notice. Only the one server thread that
/// serves the connection touches it, so it needs no lock.
final class RequestState {
    let start: ContinuousClock.Instant
    let rawTarget: String
    let peer: IPAddress
    var method = ""
    /// Lower-cased names, repeated headers joined with ", ".
    var headers: [String: String] = [:]
    var body: [UInt8] = []
    /// Set by the first access-handler call (headers complete, no body yet).
    var headersSeen = false
    /// The body outgrew the limit: the rest is read and dropped, then 413 is answered.
    var bodyTooLarge = false
    var discardedBytes = 0

    init(start: ContinuousClock.Instant, rawTarget: String, peer: IPAddress) {
        self.start = start
        self.rawTarget = rawTarget
        self.peer = peer
    }

    func addHeader(name: String, value: String) {
        let key = name.lowercased()
        headers[key] = headers[key].map { $0 + ", " + value } ?? value
    }

    /// Takes `count` more body bytes; once over `limit` they are counted but not kept.
    func appendBody(_ bytes: UnsafeRawBufferPointer, limit: Int) {
        if bodyTooLarge {
            discardedBytes += bytes.count
        } else if body.count + bytes.count > limit {
            bodyTooLarge = true
            discardedBytes = body.count + bytes.count
            body = []
        } else {
            if body.capacity == 0, let length = headers["content-length"].flatMap({ Int($0) }), length <= limit {
                // One allocation of the announced size instead of doubling up to twice that.
                body.reserveCapacity(length)
            }
            body.append(contentsOf: bytes)
        }
    }

    /// The answer given before reading any body, if the headers alone settle it.
    func earlyRejection(maxBodyBytes: Int) -> HTTPResponse? {
        if let encoding = headers["transfer-encoding"] {
            // libmicrohttpd decodes only plain "chunked"; anything else would be read until close.
            guard encoding.lowercased() == "chunked" else {
                return .json(501, #"{"error":"only chunked Transfer-Encoding is supported"}"#)
            }
            return nil
        }
        if let length = headers["content-length"] {
            // libmicrohttpd already answered 400 for a non-numeric value; a joined repeat lands here.
            guard let value = UInt64(length) else {
                return .json(400, #"{"error":"invalid Content-Length"}"#)
            }
            return value > UInt64(max(maxBodyBytes, 0)) ? RequestState.tooLarge(maxBodyBytes) : nil
        }
        if ["POST", "PUT", "PATCH"].contains(method) {
            return .json(411, #"{"error":"Content-Length is required"}"#)
        }
        return nil
    }

    static func tooLarge(_ limit: Int) -> HTTPResponse {
        .json(413, #"{"error":"request body is larger than the limit of \#(limit) bytes"}"#)
    }

    /// The request as the handler sees it.
    func makeRequest() -> HTTPRequest {
        let (path, query) = URIDecoding.split(rawTarget)
        return HTTPRequest(method: method, path: path, query: query, headers: headers, body: body, peer: peer)
    }

    /// `<peer> <METHOD> <path> <status> <ms>ms[ <note>]`.
    func accessLogLine(status: Int, note: String?, now: ContinuousClock.Instant) -> String {
        let elapsed = (now - start).components
        // Tenths of a millisecond, rounded: 1 ms = 10^15 attoseconds.
        let tenths = elapsed.seconds * 10_000 + (elapsed.attoseconds + 50_000_000_000_000) / 100_000_000_000_000
        let path = URIDecoding.split(rawTarget).path
        var line = "\(peer) \(method) \(AccessLogText.sanitize(path)) \(status) \(tenths / 10).\(tenths % 10)ms"
        if let note { line += " " + AccessLogText.sanitize(note, keepSpaces: true) }
        return line
    }
}
