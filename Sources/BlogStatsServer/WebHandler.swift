import BlogStatsHTTP

/// The dashboard pages: `/`, `/blogs/{blog}`, `/posts/{blog}/{id}`, login (being built).
struct WebHandler: Sendable {
    /// Answers a dashboard path, or nil when the path is not the dashboard's.
    func handle(_ request: HTTPRequest) -> HTTPResponse? {
        nil
    }
}
