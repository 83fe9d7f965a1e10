/// Why a push was refused, as `/metrics` counts it (`blogstats_snapshots_rejected_total{reason}`):
/// a small fixed set, so the label never grows with what clients send.
enum RejectionReason: String, CaseIterable, Sendable {
    /// 401: no token, or a wrong one.
    case unauthorized
    /// 403: an address not allowed, or a token bound to another blog.
    case forbidden
    /// 400, 411: bad CSV, a bad capture time, an empty body, no Content-Length.
    case malformed
    /// 413: the body (or what it inflates to) is over `--max-body`.
    case tooLarge = "too_large"
    /// 415, 501: a Content-Type, Content-Encoding or Transfer-Encoding not spoken.
    case unsupported
    /// 409: a different snapshot is already stored at that capture time.
    case conflict
    /// 503: the store cannot write now.
    case unavailable
    /// Anything else (500).
    case failed

    init(status: Int) {
        switch status {
        case 401: self = .unauthorized
        case 403: self = .forbidden
        case 400, 411: self = .malformed
        case 413: self = .tooLarge
        case 415, 501: self = .unsupported
        case 409: self = .conflict
        case 503: self = .unavailable
        default: self = .failed
        }
    }

    /// Position in `allCases`, for counting in a flat array.
    var index: Int { Self.allCases.firstIndex(of: self)! }
}
