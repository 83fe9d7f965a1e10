import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A real InfluxDB 1.x (`influxd`) on two free loopback ports (HTTP and the RPC port), with
/// its own meta, data and WAL directories in a temporary directory: started by a test,
/// stopped and started again on the same ports and data, always killed when released.
final class InfluxDaemon {
    static var isInstalled: Bool { Shell.isInstalled("influxd") }

    let directory: TemporaryDirectory
    private(set) var httpPort = 0
    private(set) var rpcPort = 0
    private var process: Process?
    private var run = 0

    /// Starts influxd and waits until `/ping` answers.
    init() async throws {
        directory = try TemporaryDirectory()
        // Another process may take a port between our probe and influxd's bind: try again.
        for attempt in 1...5 {
            (httpPort, rpcPort) = (try FreePort.loopback(), try FreePort.loopback())
            do {
                try await start()
                return
            } catch let error as TestFailure where attempt < 5 && error.description.contains("address already in use") {
                continue
            }
        }
    }

    var url: String { "http://127.0.0.1:\(httpPort)" }
    var isRunning: Bool { process?.isRunning ?? false }
    var logPath: String { directory.path("influxd-\(run).log") }
    var log: String { String(decoding: FileManager.default.contents(atPath: logPath) ?? Data(), as: UTF8.self) }

    /// Starts influxd (again) on the same ports and data, and waits until `/ping` answers.
    func start() async throws {
        guard !isRunning else { return }
        let influxd = try Shell.executable("influxd")
        let config = """
            reporting-enabled = false
            bind-address = "127.0.0.1:\(rpcPort)"
            [meta]
              dir = "\(directory.path("meta"))"
            [data]
              dir = "\(directory.path("data"))"
              wal-dir = "\(directory.path("wal"))"
              query-log-enabled = false
            [http]
              bind-address = "127.0.0.1:\(httpPort)"
              log-enabled = false
            [monitor]
              store-enabled = false
            """
        try directory.write("influxdb.conf", config)
        run += 1
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let logHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        defer { try? logHandle.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: influxd)
        process.arguments = ["-config", directory.path("influxdb.conf")]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = logHandle
        process.standardError = logHandle
        try process.run()
        self.process = process
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if !process.isRunning {
                throw TestFailure("influxd exited with \(process.terminationStatus) before answering:\n\(log)")
            }
            if let ping = try? await Curl.request(url + "/ping", timeout: 5), ping.status == 204 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        kill(process.processIdentifier, SIGKILL)
        throw TestFailure("influxd did not answer /ping within 60 s:\n\(log)")
    }

    /// SIGTERM, then SIGKILL if it has not ended within `timeout` seconds; waits until it is gone.
    func stop(timeout: Double = 20) async throws {
        guard let process, process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        let deadline = ContinuousClock.now + .seconds(timeout)
        while process.isRunning && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        while process.isRunning { try await Task.sleep(for: .milliseconds(20)) }
    }

    func createDatabase(_ name: String) async throws {
        let answer = try await Curl.request(
            url + "/query", method: "POST", arguments: ["--data-urlencode", "q=CREATE DATABASE \"\(name)\""])
        guard answer.status == 200 else {
            throw TestFailure("CREATE DATABASE \(name): \(answer.status) \(answer.text)")
        }
    }

    /// Writes line protocol as it is (second precision); returns InfluxDB's answer.
    @discardableResult
    func write(db: String, _ lines: String) async throws -> HTTPAnswer {
        try await Curl.request(
            url + "/write?db=\(db)&precision=s", method: "POST", body: Data(lines.utf8))
    }

    /// Writes line protocol with nanosecond timestamps (as the old receiver did), failing
    /// unless influxd answers 204.
    func write(db: String, lines: [String]) async throws {
        let body = Data(lines.joined(separator: "\n").utf8)
        let answer = try await Curl.request(url + "/write?db=\(db)", method: "POST", body: body, timeout: 300)
        guard answer.status == 204 else {
            throw TestFailure("influxd /write → HTTP \(answer.status): \(answer.text.prefix(500))")
        }
    }

    /// Runs an InfluxQL query (times as epoch seconds) and returns the parsed JSON answer.
    func query(db: String, q: String) async throws -> JSONValue {
        let answer = try await Curl.request(
            url + "/query?db=\(db)&epoch=s", method: "GET",
            arguments: ["-G", "--data-urlencode", "q=\(q)"])
        guard answer.status == 200 else { throw TestFailure("query \(q): \(answer.status) \(answer.text)") }
        return try JSONValue.parse(Array(answer.body))
    }

    /// A query's series as `[tags as "k=v,…": rows of values]` (nulls as nil), for comparisons.
    func series(db: String, q: String) async throws -> [String: [[JSONValue]]] {
        let answer = try await query(db: db, q: q)
        if let error = answer["results"]?.array?.first?["error"]?.string { throw TestFailure("query \(q): \(error)") }
        var series: [String: [[JSONValue]]] = [:]
        for entry in answer["results"]?.array?.first?["series"]?.array ?? [] {
            let tags = (entry["tags"]?.members ?? []).map { "\($0.name)=\($0.value.string ?? "")" }.joined(
                separator: ",")
            series[tags] = (entry["values"]?.array ?? []).map { $0.array ?? [] }
        }
        return series
    }

    deinit {
        if let process, process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}
