import BlogStatsCore
import BlogStatsHTTP
import BlogStatsStore
import Foundation
import Synchronization

/// `GET /api/v1/export.csv`: snapshots, samples or series as CSV or JSON Lines, streamed from a
/// connection of the export's own (see `ExportStream`); the read check is the router's.
///
/// Parameters: `kind` (snapshots, samples, series), `blog`, `id`, `from`, `to`, `step`, and
/// `format` (csv, json); without `format`, an `Accept` naming JSON before CSV gets JSON Lines.
struct ExportHandler: Sendable {
    /// The store file; nil while the receiver does not pass it (every export is then 501).
    let dataPath: String?
    let utcOffset: @Sendable (Int64) -> Int64
    let now: @Sendable () -> Int64
    let log: @Sendable (String) -> Void

    init(
        dataPath: String? = nil, utcOffset: @escaping @Sendable (Int64) -> Int64 = { _ in 0 },
        now: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) },
        log: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.dataPath = dataPath
        self.utcOffset = utcOffset
        self.now = now
        self.log = log
    }

    func handle(_ request: HTTPRequest) -> HTTPResponse {
        guard let dataPath else { return APIError(501, "exports are not connected to the store").response }
        var query = request.query
        if query["format"].map(\.isEmpty) ?? true, Self.prefersJSON(request.header("accept")) {
            query["format"] = ExportFormat.json.rawValue
        }
        let stream: ExportStream
        do throws(ExportError) {
            let export = try ExportRequest(query: query, now: now())
            stream = try ExportStream(path: dataPath, request: export, utcOffset: utcOffset)
        } catch {
            return Self.apiError(error).response
        }
        let export = stream.request
        let headers = [
            ("Content-Type", export.format.contentType),
            (
                "Content-Disposition",
                "attachment; filename=\"blogstats-\(export.kind.rawValue).\(export.format.fileExtension)\""
            ),
            ("Cache-Control", "no-store"),
            ("X-Content-Type-Options", "nosniff"),
        ]
        let note = "export \(export.kind.rawValue) \(export.format.rawValue)"
        guard request.method != "HEAD" else {
            // libmicrohttpd 0.9.75 ends a chunked answer to HEAD with a stray `0\r\n\r\n`, which a
            // keep-alive client reads as the start of its next answer: HEAD gets no stream.
            stream.close()
            return HTTPResponse(status: 200, headers: headers, logNote: note)
        }
        return HTTPResponse(status: 200, headers: headers, body: .stream(ExportBody(stream, log: log)), logNote: note)
    }

    /// True when `Accept` names JSON (`application/json`, `application/x-ndjson`) before CSV.
    static func prefersJSON(_ accept: String?) -> Bool {
        guard let accept = accept?.lowercased() else { return false }
        let json = ["application/x-ndjson", "application/json", "application/jsonl"].compactMap {
            accept.range(of: $0)?.lowerBound
        }.min()
        guard let json else { return false }
        guard let csv = accept.range(of: "text/csv")?.lowerBound else { return true }
        return json < csv
    }

    static func apiError(_ error: ExportError) -> APIError {
        switch error.kind {
        case .invalidRequest: APIError(400, error.message, field: error.field)
        case .notFound: APIError(404, error.message, field: error.field)
        case .unavailable: APIError(503, error.message, headers: [("Retry-After", "5")])
        case .failed: APIError(500, error.message)
        }
    }
}

/// Hands an export to the server chunk by chunk; the export's connection closes at the end,
/// or when the server drops the response (client gone, timeout) and with it this object.
final class ExportBody: HTTPBodyStream {
    private let stream: Mutex<ExportStream?>
    private let log: @Sendable (String) -> Void

    init(_ stream: sending ExportStream, log: @escaping @Sendable (String) -> Void) {
        self.stream = Mutex(stream)
        self.log = log
    }

    func next() throws -> [UInt8]? {
        try stream.withLock { (stream) throws(ExportError) -> [UInt8]? in
            guard let current = stream else { return nil }
            do throws(ExportError) {
                if let chunk = try current.next() { return chunk }
            } catch {
                // The status line is long gone: the server closes the connection without the
                // final chunk, so the client sees the body is cut; the log says why.
                log("export failed after \(current.rows) rows: \(error.message)")
                current.close()
                stream = nil
                throw error
            }
            current.close()
            stream = nil
            return nil
        }
    }
}
