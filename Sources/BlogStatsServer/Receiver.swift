import BlogStatsCore
import BlogStatsHTTP
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

    /// Opens the store and starts listening.
    public init(configuration: ReceiverConfiguration) throws {
        self.configuration = configuration
        // The sole writer: an import must not change the store behind the newest state kept in memory.
        let store = try SQLiteStore(
            path: configuration.dataPath, busyTimeoutMilliseconds: configuration.busyTimeoutMilliseconds,
            soleWriter: true)
        self.store = store
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
        let router = Router(
            ingest: IngestHandler(
                store: store,
                authorizer: PushAuthorizer(tokens: configuration.pushTokens, allow: configuration.allow),
                configuration: configuration,
                now: now),
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
            store: store)
        var http = configuration.http
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
    }

    /// Thins old data in the background: soon after start, then every `retentionInterval`.
    /// Each period is its own short transaction, so ingestion never waits long.
    private static func startRetention(
        store: SQLiteStore, configuration: ReceiverConfiguration, utcOffset: @escaping @Sendable (Int64) -> Int64,
        now: @escaping @Sendable () -> Int64
    ) -> any DispatchSourceTimer {
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "blogstats.retention", qos: .utility))
        timer.schedule(deadline: .now() + 30, repeating: configuration.retentionInterval)
        let log = configuration.log
        timer.setEventHandler {
            do {
                let thinned = try store.applyRetention(
                    now: now(), keepMinutes: configuration.keepMinutesSeconds,
                    keepHours: configuration.keepHoursSeconds, utcOffset: utcOffset, limit: 2000)
                if thinned > 0 { log("retention: thinned \(thinned) periods") }
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
        store.close()
    }
}

/// Maps method and path to a handler.
struct Router: Sendable {
    let ingest: IngestHandler
    let query: QueryHandler
    let export: ExportHandler
    let web: WebHandler
    let store: any SnapshotStore

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
        return .json(health.writable ? 200 : 503, object.utf8, headers: health.writable ? [] : [("Retry-After", "5")])
    }
}
