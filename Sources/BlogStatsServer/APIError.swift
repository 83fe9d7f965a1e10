import BlogStatsCore
import BlogStatsHTTP
import BlogStatsStore

/// A refused request: its status, message and where in the input; the one place errors
/// become HTTP answers.
struct APIError: Error {
    var status: Int
    var body: [UInt8]
    var headers: [(String, String)] = []

    init(_ status: Int, _ message: String, field: String? = nil, headers: [(String, String)] = []) {
        self.status = status
        self.body = SnapshotFormatError(message, field: field).json
        self.headers = headers
    }

    init(_ error: SnapshotFormatError) {
        status = 400
        body = error.json
    }

    init(_ error: StoreError) {
        switch error {
        case .conflict: status = 409
        case .unavailable: status = 503
        case .failed: status = 500
        }
        body = SnapshotFormatError(error.description).json
        if status == 503 { headers = [("Retry-After", "5")] }
    }

    var response: HTTPResponse {
        var note = "error"
        if let text = String(validating: body, as: UTF8.self) { note = text }
        return .json(status, body, headers: headers, logNote: note)
    }
}
