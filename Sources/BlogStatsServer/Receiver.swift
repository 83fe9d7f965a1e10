import BlogStatsCore
import BlogStatsHTTP
public import BlogStatsMirror
import BlogStatsStore
import Dispatch
import Foundation
import Synchronization

/// The receiver: the HTTP server, the store behind it and the routes between them.
public final class Receiver: Sendable {
    public let configuration: ReceiverConfiguration
    private let store: SQLiteStore
    /// Dispatch sources are not Sendable; the lock makes cancelling from any thread safe.
    private let retention: Mutex<(any DispatchSourceTimer)?>
    private let server: HTTPServer
    private let mirror: Mirror?

    /// Opens the store and starts listening.
    public init(configuration: ReceiverConfiguration) throws {
        self.configuration = configuration
        // The sole writer: an import must not change the store behind the newest state kept in memory.
        let store = try SQLiteStore(
            path: configuration.dataPath, busyTimeoutMilliseconds: configuration.busyTimeoutMilliseconds,
            soleWriter: true, outbox: configuration.influx != nil)
        self.store = store
        let activity = IngestActivity()
        let mirror = configuration.influx.map {
            Mirror(configuration: $0, store: store, log: configuration.log, busy: { activity.isBusy })
        }
        self.mirror = mirror
        guard let zone = TimeZone(identifier: configuration.timeZone) else {
            store.close()
            throw ReceiverError(
                "unknown time zone \"\(configuration.timeZone)\" (use an IANA name such as Europe/Paris)")
        }
        let now: @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }
        let utcOffset: @Sendable (Int64) -> Int64 = {
            Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double($0))))
        }
        let listener = IPAddress(configuration.http.host)
        let readAuthorizer = ReadAuthorizer(
            tokens: configuration.readTokens, loopbackOnly: listener?.isLoopback ?? false,
            sessions: configuration.readPassword == nil ? nil : SessionStore(), trustProxy: configuration.trustProxy)
        let counters = IngestCounters()
        // The InfluxDB mirror's backlog for /metrics: points of the snapshots still to send.
        var outboxPoints: (@Sendable () -> Int?)? = nil
        if mirror != nil {
            outboxPoints = { () -> Int? in
                guard let depth = try? store.outboxDepth() else { return nil }
                return Int(depth.pendingRows)
            }
        }
        let router = Router(
            ingest: IngestHandler(
                store: store,
                authorizer: PushAuthorizer(tokens: configuration.pushTokens, allow: configuration.allow),
                configuration: configuration,
                now: now, counters: counters, activity: activity),
            query: QueryHandler(
                store: store,
                authorizer: readAuthorizer,
                utcOffset: utcOffset,
                now: now),
            export: ExportHandler(
                dataPath: configuration.dataPath, utcOffset: utcOffset, now: now, log: configuration.log),
            web: WebHandler(
                store: store, configuration: configuration, authorizer: readAuthorizer, utcOffset: utcOffset,
                now: now),
            metrics: MetricsHandler(
                store: store, authorizer: readAuthorizer, counters: counters, outboxPoints: outboxPoints, now: now,
                log: configuration.log),
            store: store,
            mirror: mirror)
        var http = configuration.http
        // Pushes the server refuses before the handler sees them (a body over --max-body).
        http.earlyAnswer = { method, path, status in
            if IngestHandler.isPush(method: method, path: path) { counters.rejected(status: status) }
        }
        if http.accessLog == nil { http.accessLog = configuration.log }
        if http.errorLog == nil { http.errorLog = configuration.log }
        do {
            server = try HTTPServer(configuration: http) { request in
                ResponseCompression.apply(router.route(request), for: request)
            }
        } catch {
            store.close()
            throw error
        }
        retention = Mutex(
            Self.startRetention(store: store, configuration: configuration, utcOffset: utcOffset, now: now))
        mirror?.start()
    }

    /// The InfluxDB mirror's outbox depth and state; nil when the mirror is off (for /metrics).
    public func mirrorStatus() -> MirrorStatus? { mirror?.status() }

    /// Thins old data and seals closed days in the background: soon after start (30 s, or
    /// `retentionInterval` if shorter), then every `retentionInterval`. Each period or day is its own short transaction, so ingestion
    /// never waits long.
    private static func startRetention(
        store: SQLiteStore, configuration: ReceiverConfiguration, utcOffset: @escaping @Sendable (Int64) -> Int64,
        now: @escaping @Sendable () -> Int64
    ) -> any DispatchSourceTimer {
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "blogstats.retention", qos: .utility))
        timer.schedule(
            deadline: .now() + min(30, configuration.retentionInterval), repeating: configuration.retentionInterval)
        let log = configuration.log
        timer.setEventHandler {
            do {
                let thinned = try store.applyRetention(
                    now: now(), keepMinutes: configuration.keepMinutesSeconds,
                    keepHours: configuration.keepHoursSeconds, utcOffset: utcOffset, limit: 2000)
                if thinned > 0 { log("retention: thinned \(thinned) periods") }
                let sealed = try store.seal(limit: 400)
                if sealed > 0 { log("retention: sealed \(sealed) days") }
            } catch {
                log("retention: \(error)")
            }
        }
        timer.resume()
        return timer
    }

    /// The port actually bound (useful when 0 was asked for).
    public var port: UInt16 { server.port }

    /// Stops accepting, lets requests in flight finish, then closes the store cleanly.
    public func stop(drainTimeout: Double = 10) {
        retention.withLock { $0?.cancel() }
        server.stop(drainTimeout: drainTimeout)
        // Unsent points stay in the outbox for the next start.
        mirror?.stop()
        store.close()
    }
}

/// Maps method and path to a handler.
struct Router: Sendable {
    let ingest: IngestHandler
    let query: QueryHandler
    let export: ExportHandler
    let web: WebHandler
    let metrics: MetricsHandler
    let store: any SnapshotStore
    let mirror: Mirror?

    func route(_ request: HTTPRequest) -> HTTPResponse {
        if request.path.hasPrefix("/api/v1/") && request.path != "/api/v1/snapshots" {
            let components = request.path.split(separator: "/", omittingEmptySubsequences: true)
            guard request.method == "GET" || request.method == "HEAD" else {
                return APIError(
                    405, "\(request.method) is not allowed here (allowed: GET, HEAD)", headers: [("Allow", "GET, HEAD")]
                )
                .response
            }
            if request.path == "/api/v1/openapi.json" {
                return HTTPResponse(
                    status: 200, headers: [("Content-Type", "application/json")],
                    body: .bytes(Array(OpenAPIDocument.json.utf8)))
            }
            if request.path == "/api/v1/export.csv" {
                if let denied = query.deniedRead(request) { return denied }
                return export.handle(request)
            }
            if let response = query.handle(request, components: components) { return response }
        }
        if request.path == "/metrics" { return metrics.handle(request) }
        if !request.path.hasPrefix("/api/"), let response = web.handle(request) { return response }
        switch (request.method, request.path) {
        case ("POST", "/stats"), ("POST", "/api/v1/snapshots"):
            return ingest.handle(request)
        case ("GET", "/healthz"), ("HEAD", "/healthz"):
            return health()
        case (_, "/stats"), (_, "/api/v1/snapshots"), (_, "/healthz"):
            let allowed = request.path == "/healthz" ? "GET, HEAD" : "POST"
            return APIError(
                405, "\(request.method) is not allowed here (allowed: \(allowed))", headers: [("Allow", allowed)]
            )
            .response
        default:
            return APIError(404, "no such resource: \(request.path)").response
        }
    }

    private func health() -> HTTPResponse {
        let health = store.health()
        var object = JSONObject()
        object.add("status", health.writable ? "ok" : "unavailable")
        object.add("writable", health.writable)
        if let problem = health.problem { object.add("problem", problem) }
        let blogs = health.lastSnapshots.map { entry -> [UInt8] in
            var blog = JSONObject()
            blog.add("blog", entry.blog)
            blog.add("last_snapshot", Timestamp.format(entry.capturedAt))
            return blog.utf8
        }
        object.addRaw("blogs", JSONText.array(blogs))
        if let status = mirror?.status() { object.addRaw("influx", Self.json(status)) }
        return .json(health.writable ? 200 : 503, object.utf8, headers: health.writable ? [] : [("Retry-After", "5")])
    }
}

extension Router {
    /// The mirror's part of /healthz: where it writes, what waits, what was parked, the last error.
    static func json(_ status: MirrorStatus) -> [UInt8] {
        var object = JSONObject()
        object.add("target", status.target)
        object.add("mode", status.mode.rawValue)
        if let depth = status.depth {
            object.add("pending_snapshots", depth.pendingSnapshots)
            object.add("pending_rows", depth.pendingRows)
            object.add("parked", depth.parked)
            if let oldest = depth.oldestPending { object.add("oldest_pending", Timestamp.format(oldest)) }
        }
        object.add("points_written", status.pointsWritten)
        if let last = status.lastDelivery { object.add("last_delivery", Timestamp.format(last)) }
        object.add("failures", status.failures)
        if let error = status.lastError { object.add("last_error", error) }
        return object.utf8
    }
}
