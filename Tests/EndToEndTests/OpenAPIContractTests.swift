import Foundation
import Testing

/// The OpenAPI document served at /api/v1/openapi.json is the contract: it names exactly the
/// routes the receiver serves, and every real answer (status, headers, body) matches it.
/// A field added, dropped or renamed on either side fails here.
@Suite struct OpenAPIContractTests {
    static let pushToken = "contract-push-token-0123456789"
    static let boundToken = "contract-bound-token-0123456789"
    static let readToken = "contract-read-token-0123456789"
    static let remote = "X-Forwarded-For: 203.0.113.9"

    /// Paths of the API the receiver serves today, and API paths it does not (near misses).
    /// Each is asked with every method.
    static let knownPaths = [
        "/stats", "/api/v1/snapshots", "/healthz", "/api/v1/blogs", "/api/v1/posts", "/api/v1/blogs/default/series",
        "/api/v1/posts/default/a/series", "/api/v1/openapi.json", "/api/v1/export.csv", "/api/v1", "/api/v1/",
        "/api/v1/blogs/default", "/api/v1/posts/default", "/api/v1/posts/default/a", "/api/v1/healthz",
        "/api/v1/stats", "/api/v1/metrics", "/api/v1/blogs/default/series/x", "/api/openapi.json", "/api/v2/blogs",
    ]
    /// The document covers the API: ingest, health and everything under /api/. The dashboard's
    /// HTML pages (and later /metrics) are not in it; these must at least stay out of it.
    static let otherPaths = ["/", "/blogs/default", "/posts/default/a", "/login", "/metrics", "/openapi.json"]

    static func isAPI(_ path: String) -> Bool { path == "/stats" || path == "/healthz" || path.hasPrefix("/api/") }
    static let probeMethods = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH"]

    static func document(_ receiver: ReceiverProcess) async throws -> OpenAPIContract {
        let answer = try await Curl.request(receiver.url("/api/v1/openapi.json"))
        try #require(answer.status == 200, "\(answer.summary)")
        try #require(answer.headers["content-type"]?.hasPrefix("application/json") == true, "\(answer.headers)")
        return try OpenAPIContract(answer)
    }

    @Test func theDocumentIsOpenAPI31AndNamesExactlyTheRoutesServed() async throws {
        let directory = try TemporaryDirectory()
        let receiver = try await ReceiverProcess(in: directory)
        _ = try await Curl.push(
            receiver.url("/stats"), CSVBody([("a", "alpha", 1, "Alpha")]).text,
            headers: [CaptureTime.header(CaptureTime.now() - 60)])
        let contract = try await Self.document(receiver)
        let document = contract.document

        #expect(document["openapi"] == .string("3.1.0"))
        #expect(document["info"]?["title"]?.string?.isEmpty == false && document["info"]?["version"]?.string != nil)
        #expect(contract.unresolvedReferences() == [])
        for schema in document["components"]?["schemas"]?.members ?? [] {
            let problems = contract.schemas.lint(schema.value, at: "#/components/schemas/\(schema.name)")
            #expect(problems == [], "\(problems.joined(separator: "\n"))")
        }
        let schemes = document["components"]?["securitySchemes"]
        for name in ["pushToken", "readToken"] {
            #expect(
                schemes?[name]?["type"] == .string("http") && schemes?[name]?["scheme"] == .string("bearer"), "\(name)")
        }
        var operationIDs: [String] = []
        for (method, template, operation) in contract.operations {
            let place = "\(method) \(template)"
            operationIDs.append(operation["operationId"]?.string ?? "")
            #expect(operation["security"]?.array != nil, "\(place) states its security")
            #expect(operation["responses"]?.members?.isEmpty == false, "\(place) has responses")
            for response in operation["responses"]?.members ?? [] {
                let resolved = contract.schemas.dereference(response.value)
                #expect(resolved["description"]?.string?.isEmpty == false, "\(place) \(response.name) is described")
                // Every answer is JSON, but for the export's streams, which name their media types.
                let types = resolved["content"]?.members?.map(\.name) ?? []
                let streams = template == "/api/v1/export.csv" && response.name == "200"
                #expect(
                    streams
                        ? Set(types) == ["text/csv", "application/x-ndjson"]
                        : resolved["content"]?["application/json"]?["schema"] != nil,
                    "\(place) \(response.name): its content is documented (\(types))")
            }
            // Path parameters: exactly those of the template, each required.
            let inTemplate = Set(
                template.split(separator: "/").filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) })
            let declared = (operation["parameters"]?.array ?? []).map(contract.schemas.dereference)
                .filter { $0["in"] == .string("path") }
            #expect(Set(declared.compactMap { $0["name"]?.string }) == inTemplate, "\(place) path parameters")
            #expect(declared.allSatisfy { $0["required"] == .bool(true) }, "\(place) path parameters are required")
        }
        #expect(Set(operationIDs).count == operationIDs.count && !operationIDs.contains(""), "\(operationIDs)")

        // Every method on every known API path and every documented one: served exactly when
        // documented. Nothing outside the API is documented.
        var paths = Self.knownPaths
        for template in document["paths"]?.members?.map(\.name) ?? [] {
            #expect(Self.isAPI(template), "\(template) is not an API path")
            let concrete = template.replacingOccurrences(of: "{blog}", with: "default").replacingOccurrences(
                of: "{id}", with: "a")
            if !paths.contains(concrete) { paths.append(concrete) }
        }
        for path in Self.otherPaths {
            #expect(contract.template(for: path) == nil, "\(path) is documented")
        }
        let body = CSVBody([("a", "alpha", 2, "Alpha")]).text
        let probes = paths.flatMap { path in Self.probeMethods.map { (path, $0) } }
        let answers = try await CurlBatch.run(
            probes.map { path, method in
                CurlBatch.Request(
                    url: receiver.url(path), method: method, headers: ["Content-Type: text/csv"],
                    body: method == "GET" || method == "HEAD" ? nil : body)
            })
        for ((path, method), answer) in zip(probes, answers) {
            let served = answer.status != 404 && answer.status != 405
            let documented = contract.operation(method, path) != nil
            #expect(
                served == documented,
                "\(method) \(path): \(documented ? "documented" : "not documented") but answered \(answer.summary)")
            if answer.status == 405 {
                #expect(answer.headers["allow"] != nil, "\(method) \(path): 405 names what is allowed")
            }
        }
    }

    @Test func everyAnswerMatchesTheDocument() async throws {
        let directory = try TemporaryDirectory()
        let push = try directory.write("push.token", Self.pushToken)
        let bound = try directory.write("bound.token", Self.boundToken)
        let read = try directory.write("read.token", Self.readToken)
        let receiver = try await ReceiverProcess(
            in: directory, store: "store.db",
            arguments: [
                "--push-token-file", push, "--push-token-file", bound + ":other", "--read-token-file", read,
                "--trust-proxy", "127.0.0.1/32", "--max-body", "64K", "--busy-timeout", "1s",
            ])
        let contract = try await Self.document(receiver)
        var problems: [String] = []
        func check(_ answer: HTTPAnswer, _ method: String, _ path: String, status: Int) {
            problems += contract.check(answer, method, path)
            if answer.status != status {
                problems.append("\(method) \(path): expected \(status), got \(answer.summary)")
            }
        }
        // Every request is made in order in one curl run, then each answer is checked.
        var calls: [(request: CurlBatch.Request, path: String, status: Int)] = []
        func post(_ path: String, query: String = "", _ body: String?, _ headers: [String], _ status: Int) {
            let request = CurlBatch.Request(
                url: receiver.url(path + query), method: "POST", headers: headers, body: body)
            calls.append((request, path, status))
        }
        func get(
            _ path: String, _ query: String = "", _ headers: [String] = [], _ status: Int = 200, head: Bool = false
        ) {
            calls.append((CurlBatch.Request(url: receiver.url(path + query), headers: headers), path, status))
            if head {
                let request = CurlBatch.Request(url: receiver.url(path + query), method: "HEAD", headers: headers)
                calls.append((request, path, status))
            }
        }

        // Ingest, on both paths: every documented answer.
        let base = ReadHistory.base()
        let csv = "Content-Type: text/csv"
        let token = "Authorization: Bearer \(Self.pushToken)"
        for (minute, body) in ReadHistory.snapshots {
            post("/stats", body.text, [csv, token, CaptureTime.header(base + minute * 60)], 200)
        }
        let twoBlogs = "id,slug,view_count,title,blog\r\nx,ex,3,X,one\r\ny,why,4,Y,two\r\n"
        for path in ["/stats", "/api/v1/snapshots"] {
            let at = CaptureTime.header(path == "/stats" ? base + 100 * 60 : base + 110 * 60)
            post(path, twoBlogs, [csv, token, at], 200)  // an array: one answer per blog
            post(path, twoBlogs, [csv, token, at], 200)  // the same again: duplicate
            post(path, "id,slug,view_count,title\r\nx,ex,5,X\r\n", [csv, token, at], 200)
            post(path, "id,slug,view_count,title\r\nx,ex,12a,X\r\n", [csv, token], 400)
            post(path, "x,ex,1,X\r\n", [csv, token, "X-Blogstats-Captured-At: yesterday"], 400)
            post(path, "x,ex,1,X\r\n", [csv], 401)
            post(path, "x,ex,1,X\r\n", [csv, "Authorization: Bearer \(Self.readToken)"], 401)
            post(path, query: "?blog=default", "x,ex,1,X\r\n", [csv, "Authorization: Bearer \(Self.boundToken)"], 403)
            post(path, "x,ex,6,X\r\n", [csv, token, at], 409)
            post(path, "x,ex,1,X\r\n", [token, "Content-Type: application/json"], 415)
            post(path, "x,ex,1,X\r\n", [csv, token, "Content-Encoding: br"], 415)
            post(path, String(repeating: "x,ex,1,X\r\n", count: 8000), [csv, token], 413)
            post(path, nil, [token], 411)
        }

        // Reading, as a loopback client of a loopback receiver (no token needed) and as a remote one.
        let window = "?from=\(ReadHistory.time(base, 0))&to=\(ReadHistory.time(base, 100))"
        get("/api/v1/blogs", head: true)
        get("/api/v1/blogs", "", [Self.remote, "Authorization: Bearer \(Self.readToken)"])
        get("/api/v1/blogs", "", [Self.remote], 401, head: true)
        get("/api/v1/blogs", "", [Self.remote, "Authorization: Bearer \(Self.pushToken)"], 401)
        let topIndex = calls.count
        get("/api/v1/posts", window, head: true)
        for query in [
            "", window + "&limit=2&q=ALPHA", "?from=\(ReadHistory.time(base, 60))&to=\(ReadHistory.time(base, 75))",
        ] {
            get("/api/v1/posts", query)
        }
        get("/api/v1/posts", "?blog=nope", [], 404)
        for query in ["?limit=0", "?from=soon", "?to=later", "?from=1h&to=2h"] { get("/api/v1/posts", query, [], 400) }
        get("/api/v1/posts", "", [Self.remote], 401)
        for series in [
            "/api/v1/blogs/default/series", "/api/v1/posts/default/a/series", "/api/v1/posts/default/b/series",
            "/api/v1/posts/default/c/series", "/api/v1/posts/default/d/series", "/api/v1/blogs/one/series",
        ] {
            get(series, window + "&step=20m", head: true)
            get(series, window)
            get(series, "?step=abc", [], 400)
            get(series, "", [Self.remote], 401)
        }
        get("/api/v1/blogs/nope/series", "", [], 404, head: true)
        get("/api/v1/posts/default/nope/series", "", [], 404, head: true)
        get("/api/v1/posts/nope/a/series", "", [], 404)
        get("/api/v1/export.csv", "?kind=samples", [], head: true)
        get("/api/v1/export.csv", "?kind=series&format=json", [])
        get("/api/v1/export.csv", "?kind=nope", [], 400)
        get("/api/v1/export.csv", "?blog=nope", [], 404)
        get("/api/v1/export.csv", "", [Self.remote], 401)
        get("/healthz", head: true)
        get("/healthz", "", [Self.remote])
        get("/api/v1/openapi.json", "", [Self.remote], head: true)

        let answers = try await CurlBatch.run(calls.map(\.request))
        for (call, answer) in zip(calls, answers) { check(answer, call.request.method, call.path, status: call.status) }
        #expect(answers[4].object?["resets"] as? Int == 1, "the reset is counted: \(answers[4].summary)")
        let c = (answers[topIndex].object?["posts"] as? [[String: Any]])?.first { $0["id"] as? String == "c" }
        #expect(
            c?["title"] as? String == ReadHistory.hostileTitle,
            "the title survives as pushed: \(answers[topIndex].text)")

        // The store locked by another process: writes and the health check answer 503.
        let lock = try await SQLiteLockHolder(store: receiver.storePath)
        let (statsURL, snapshotsURL, healthURL) = (
            receiver.url("/stats"), receiver.url("/api/v1/snapshots"), receiver.url("/healthz")
        )
        // At once: each waits out the 1 s busy timeout.
        async let stats = Curl.push(statsURL, "x,ex,1,X\r\n", headers: [token])
        async let snapshots = Curl.push(snapshotsURL, "x,ex,1,X\r\n", headers: [token])
        async let health = Curl.request(healthURL)
        check(try await stats, "POST", "/stats", status: 503)
        check(try await snapshots, "POST", "/api/v1/snapshots", status: 503)
        check(try await health, "GET", "/healthz", status: 503)
        try await lock.release()

        // A receiver without read tokens refuses remote readers.
        let closed = try await ReceiverProcess(
            in: directory, store: "closed.db", arguments: ["--trust-proxy", "127.0.0.1/32"])
        let refused = [
            "/api/v1/blogs", "/api/v1/posts", "/api/v1/blogs/default/series", "/api/v1/posts/default/a/series",
            "/api/v1/export.csv",
        ]
        let refusals = try await CurlBatch.run(
            refused.map { CurlBatch.Request(url: closed.url($0), headers: [Self.remote]) })
        for (path, answer) in zip(refused, refusals) { check(answer, "GET", path, status: 403) }

        // The InfluxDB mirror's part of /healthz: failing (no database yet), then delivering.
        let influx = try await InfluxDaemon()
        let mirrored = try await ReceiverProcess(
            in: directory, store: "mirrored.db", arguments: ["--influx-url", influx.url, "--influx-db", "later"])
        check(try await Curl.push(mirrored.url("/stats"), "a,a,1,A\r\n"), "POST", "/stats", status: 200)
        #expect(try await mirrored.waitForLine(containing: "HTTP 404", timeout: 30) != nil, "\(mirrored.log)")
        check(try await Curl.request(mirrored.url("/healthz")), "GET", "/healthz", status: 200)
        try await influx.createDatabase("later")
        var delivered = try await Curl.request(mirrored.url("/healthz"))
        let deadline = ContinuousClock.now + .seconds(60)
        while !delivered.text.contains("last_delivery") && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
            delivered = try await Curl.request(mirrored.url("/healthz"))
        }
        check(delivered, "GET", "/healthz", status: 200)
        try await mirrored.terminate()
        try await influx.stop()

        #expect(problems == [], "\(problems.joined(separator: "\n"))")
        // Every documented answer was seen, but those that cannot be provoked from outside: a
        // store failing (500) and a store too busy to read (503)…
        let missing = contract.documentedResponses.subtracting(contract.exercised).filter {
            !$0.hasSuffix(" 500") && !($0.hasPrefix("GET /api/v1/") && $0.hasSuffix(" 503"))
        }
        #expect(missing.isEmpty, "documented but never answered: \(missing.sorted())")
        // …and every documented property was in some answer: dropping or renaming one fails.
        let unseen = contract.schemas.declaredProperties.subtracting(contract.schemas.seen)
        #expect(unseen.isEmpty, "documented properties no answer had: \(unseen.sorted())")
    }
}
