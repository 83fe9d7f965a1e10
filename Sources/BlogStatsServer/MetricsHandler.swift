import BlogStatsCore
import BlogStatsHTTP
import BlogStatsStore

/// `GET /metrics`: every present post's count and current name, the blogs' totals and the
/// receiver's own health, in the Prometheus text format or, when the scraper asks for it,
/// OpenMetrics; streamed. Reading needs the read credential, as for the JSON API.
struct MetricsHandler: Sendable {
    let store: SQLiteStore
    let authorizer: ReadAuthorizer
    let counters: IngestCounters
    /// How many points wait in the InfluxDB mirror's outbox. nil, or nil answered, means no mirror
    /// is configured: `blogstats_outbox_points` is then left out rather than shown as 0.
    let outboxPoints: (@Sendable () -> Int?)?
    let now: @Sendable () -> Int64
    let log: @Sendable (String) -> Void

    func handle(_ request: HTTPRequest) -> HTTPResponse {
        guard request.method == "GET" || request.method == "HEAD" else {
            return APIError(
                405, "\(request.method) is not allowed here (allowed: GET, HEAD)", headers: [("Allow", "GET, HEAD")]
            )
            .response
        }
        if let denied = authorizer.decide(request, now: now()) { return denied.response }
        let format = ExpositionFormat.negotiate(accept: request.header("accept"))
        let headers = [
            ("Content-Type", format.contentType), ("Cache-Control", "no-store"), ("Vary", "Accept"),
            ("X-Content-Type-Options", "nosniff"),
        ]
        let note = format == .openMetrics ? "metrics openmetrics" : "metrics text"
        // libmicrohttpd ends a chunked answer to HEAD with a stray chunk (see ExportHandler): no stream.
        guard request.method != "HEAD" else { return HTTPResponse(status: 200, headers: headers, logNote: note) }
        let exposition: MetricsExposition
        do throws(StoreError) {
            let health = MetricsExposition.Health(
                counts: counters.current(), storeBytes: store.sizeInBytes(), outboxPoints: outboxPoints.flatMap { $0() }
            )
            let blogs = try store.liveBlogs()
            exposition = MetricsExposition(
                format: format, health: health, blogs: blogs, names: try store.currentNames())
        } catch {
            return APIError(error).response
        }
        return HTTPResponse(
            status: 200, headers: headers, body: .stream(MetricsBody(exposition, log: log)), logNote: note)
    }
}
