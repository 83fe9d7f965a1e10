import BlogStatsCore
import BlogStatsHTTP
import BlogStatsStore
import Dispatch

/// `POST /stats`: authenticate, decode, parse and validate the whole body, then store it in
/// one transaction. Nothing is written unless everything is valid.
struct IngestHandler: Sendable {
    let store: any SnapshotStore
    let authorizer: PushAuthorizer
    let configuration: ReceiverConfiguration
    let now: @Sendable () -> Int64
    /// Counts every push and its outcome for `/metrics`.
    var counters = IngestCounters()
    /// Tells the InfluxDB mirror a push is in progress.
    var activity: IngestActivity? = nil

    /// True for the requests `handle` serves (and the HTTP server may refuse before it does).
    static func isPush(method: String, path: String) -> Bool {
        method == "POST" && (path == "/stats" || path == "/api/v1/snapshots")
    }

    func handle(_ request: HTTPRequest) -> HTTPResponse {
        let start = ContinuousClock.now
        activity?.begin()
        defer {
            activity?.end()
            if request.body.count >= 1 << 20, let hook = configuration.afterLargeIngest {
                let size = request.body.count
                DispatchQueue.global(qos: .utility).async { hook(size) }
            }
        }
        do throws(APIError) {
            let summaries = try ingest(request)
            let elapsed = (ContinuousClock.now - start).components
            counters.stored(
                rows: summaries.reduce(0) { $0 + ($1.duplicate ? 0 : $1.rows) },
                seconds: Double(elapsed.seconds) + Double(elapsed.attoseconds) * 1e-18)
            return answer(summaries)
        } catch {
            counters.rejected(status: error.status)
            return error.response
        }
    }

    private func ingest(_ request: HTTPRequest) throws(APIError) -> [IngestSummary] {
        let client = ClientAddress.resolve(
            peer: request.peer, forwardedFor: request.header("x-forwarded-for"),
            trustedProxies: configuration.trustProxy)
        var boundBlog: String? = nil
        let proxied = ClientAddress.isUntrustedForward(
            peer: request.peer, forwardedFor: request.header("x-forwarded-for"),
            trustedProxies: configuration.trustProxy)
        switch authorizer.decide(authorization: request.header("authorization"), client: client, proxied: proxied) {
        case .allowed(let blog): boundBlog = blog
        case .denied(let status, let message):
            throw APIError(status, message, headers: status == 401 ? [("WWW-Authenticate", "Bearer")] : [])
        }
        try checkContentType(request.header("content-type"))
        let body = try decodedBody(request)
        let (capturedAt, explicit) = try captureTime(request.header("x-blogstats-captured-at"))
        let requestedBlog = request.query["blog"].flatMap { $0.isEmpty ? nil : $0 }
        if let boundBlog, let requestedBlog, requestedBlog != boundBlog {
            throw APIError(
                403, "this token may push to blog \"\(boundBlog)\" only, not \"\(requestedBlog)\"", field: "blog")
        }
        let defaultBlog = boundBlog ?? requestedBlog ?? "default"
        let snapshots: [Snapshot]
        do throws(SnapshotFormatError) {
            snapshots = try Snapshot.parse(
                body, defaultBlog: defaultBlog, capturedAt: capturedAt, explicitTime: explicit)
        } catch {
            throw APIError(error)
        }
        if let boundBlog, let other = snapshots.first(where: { $0.blog != boundBlog }) {
            throw APIError(
                403, "this token may push to blog \"\(boundBlog)\" only, not \"\(other.blog)\"", field: "blog")
        }
        do throws(StoreError) {
            return try store.ingest(snapshots)
        } catch {
            throw APIError(error)
        }
    }

    private func checkContentType(_ header: String?) throws(APIError) {
        // curl without -H sends application/x-www-form-urlencoded: that is a mistake worth naming.
        guard let header else { return }
        let type = header.split(separator: ";").first.map { $0.trimmingCharacters(in: " ").lowercased() } ?? ""
        guard ["text/csv", "text/plain", "application/csv"].contains(type) else {
            throw APIError(
                415, "Content-Type \(type) is not accepted: send text/csv (curl -H \"Content-Type: text/csv\")",
                field: "Content-Type")
        }
    }

    private func decodedBody(_ request: HTTPRequest) throws(APIError) -> [UInt8] {
        let encoding =
            request.header("content-encoding").map { Substring($0.lowercased()).trimmingCharacters(in: " \t") }
            ?? "identity"
        let body: [UInt8]
        switch encoding {
        case "identity", "": body = request.body
        case "gzip", "x-gzip":
            do throws(Gzip.Failure) {
                body = try Gzip.inflate(request.body, limit: configuration.http.maxBodyBytes)
            } catch {
                switch error {
                case .tooLarge(let limit):
                    throw APIError(413, "the body inflates to more than the limit of \(limit) bytes")
                case .corrupt(let reason):
                    throw APIError(400, "the gzip body is corrupt: \(reason)", field: "Content-Encoding")
                }
            }
        default:
            throw APIError(
                415, "Content-Encoding \(encoding) is not supported (use gzip or none)", field: "Content-Encoding")
        }
        guard !body.isEmpty else {
            throw APIError(400, "the body is empty: expected CSV rows id,slug,view_count,title")
        }
        return body
    }

    private func captureTime(_ header: String?) throws(APIError) -> (Int64, Bool) {
        let now = now()
        guard let header else { return (now, false) }
        let field = "X-Blogstats-Captured-At"
        guard let time = Timestamp.parse(Substring(header).trimmingCharacters(in: " \t")) else {
            throw APIError(400, "\(field) is not an RFC 3339 time: \"\(header.prefix(60))\"", field: field)
        }
        if time > now + configuration.maxClockSkewSeconds {
            throw APIError(
                400, "\(field) \(Timestamp.format(time)) is in the future (now is \(Timestamp.format(now)))",
                field: field)
        }
        if time < now - configuration.maxAgeSeconds {
            throw APIError(
                400,
                "\(field) \(Timestamp.format(time)) is older than the \(configuration.maxAgeSeconds / 86_400)-day retention window",
                field: field)
        }
        return (time, true)
    }

    private func answer(_ summaries: [IngestSummary]) -> HTTPResponse {
        let objects = summaries.map { summary -> [UInt8] in
            var object = JSONObject()
            object.add("blog", summary.blog)
            object.add("captured_at", Timestamp.format(summary.capturedAt))
            object.add("rows", summary.rows)
            object.add("changed", summary.changed)
            object.add("new", summary.new)
            object.add("removed", summary.removed)
            object.add("returned", summary.returned)
            object.add("resets", summary.resets)
            object.add("duplicate", summary.duplicate)
            return object.utf8
        }
        let rows = summaries.reduce(0) { $0 + $1.rows }
        let changed = summaries.reduce(0) { $0 + $1.changed + $1.new + $1.removed + $1.returned }
        let note = "rows=\(rows) changed=\(changed)" + (summaries.contains(where: \.duplicate) ? " duplicate" : "")
        // One blog (the usual case) answers one object; a body with a blog column, one per blog.
        let body = objects.count == 1 ? objects[0] : JSONText.array(objects)
        return .json(200, body, logNote: note)
    }
}
