import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A real InfluxDB 1.x (`influxd`) on free loopback ports, with its own meta, data and WAL
/// directories in a temporary directory; killed when released if `stop()` was not called.
/// Nothing here blocks a thread: tests share a small cooperative pool on a 2-core machine.
final class InfluxDaemon {
    static var isInstalled: Bool { Shell.isInstalled("influxd") }

    let directory: TemporaryDirectory
    private(set) var port = 0
    private var process: Process?

    /// `http://127.0.0.1:PORT`, once started.
    var url: String { "http://127.0.0.1:\(port)" }
    var logPath: String { directory.path("influxd.log") }
    var log: String { String(decoding: directory.read("influxd.log") ?? Data(), as: UTF8.self) }
    var isRunning: Bool { process?.isRunning ?? false }

    init() throws {
        directory = try TemporaryDirectory()
    }

    /// Starts influxd and waits until `/ping` answers 204; retries on another port when the one
    /// it was given was taken in between.
    func start(timeout: Double = 60) async throws {
        for attempt in 1...3 {
            let httpPort = try Self.freePort()
            let rpcPort = try Self.freePort()
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
            let configPath = try directory.write("influxdb.conf", config)
            _ = FileManager.default.createFile(atPath: logPath, contents: nil)
            let logHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
            defer { try? logHandle.close() }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: try Shell.executable("influxd"))
            process.arguments = ["-config", configPath]
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = logHandle
            process.standardError = logHandle
            try process.run()
            self.process = process
            port = httpPort
            let deadline = ContinuousClock.now + .seconds(timeout)
            while ContinuousClock.now < deadline && process.isRunning {
                if try await ping() { return }
                try await Task.sleep(for: .milliseconds(100))
            }
            await stop()
            if attempt < 3 && log.contains("address already in use") { continue }
            throw TestFailure("influxd did not answer /ping within \(timeout) s:\n\(log.suffix(3000))")
        }
    }

    /// SIGTERM, then SIGKILL after 10 s; returns once the process has ended.
    func stop() async {
        guard let process, process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        let deadline = ContinuousClock.now + .seconds(10)
        while process.isRunning && ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        while process.isRunning { try? await Task.sleep(for: .milliseconds(20)) }
    }

    func ping() async throws -> Bool {
        try await Curl.request(url + "/ping", timeout: 5).status == 204
    }

    func createDatabase(_ name: String) async throws {
        _ = try await query(db: nil, q: "CREATE DATABASE \"\(name)\"", method: "POST")
    }

    /// `/query`: the answer's JSON, failing on an HTTP error or an `error` in the answer.
    @discardableResult
    func query(db: String?, q: String, epoch: String = "ns", method: String = "GET") async throws -> [String: Any] {
        var components = URLComponents(string: url + "/query")!
        components.queryItems =
            [URLQueryItem(name: "q", value: q), URLQueryItem(name: "epoch", value: epoch)]
            + (db.map { [URLQueryItem(name: "db", value: $0)] } ?? [])
        components.percentEncodedQuery = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        let answer = try await Curl.request(components.url!.absoluteString, method: method, timeout: 120)
        guard answer.status == 200, let object = answer.object else {
            throw TestFailure("influxd /query \(q) → HTTP \(answer.status): \(answer.text.prefix(500))")
        }
        if let results = object["results"] as? [[String: Any]], let error = results.first?["error"] as? String {
            throw TestFailure("influxd /query \(q) → \(error)")
        }
        return object
    }

    /// `/write` of line-protocol lines (nanosecond timestamps), failing unless influxd answers 204.
    func write(db: String, lines: [String]) async throws {
        let body = Data(lines.joined(separator: "\n").utf8)
        let answer = try await Curl.request(url + "/write?db=\(db)", method: "POST", body: body, timeout: 300)
        guard answer.status == 204 else {
            throw TestFailure("influxd /write → HTTP \(answer.status): \(answer.text.prefix(500))")
        }
    }

    /// A port nothing listens on now (the kernel's choice for port 0).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else { throw TestFailure("cannot find a free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    deinit {
        // A failed test must not leave influxd behind.
        if let process, process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}
