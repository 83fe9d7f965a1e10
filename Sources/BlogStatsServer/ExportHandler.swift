import BlogStatsHTTP

/// `GET /api/v1/export.csv`: streaming exports (not built yet).
struct ExportHandler: Sendable {
    func handle(_ request: HTTPRequest) -> HTTPResponse {
        APIError(501, "exports are not built yet").response
    }
}
