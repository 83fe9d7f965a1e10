import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A real Prometheus (`/usr/bin/prometheus`), started on a free loopback port with its own
/// temporary data directory and a configuration that scrapes one target every second; stopped
/// with SIGTERM (SIGKILL when it does not go, and on release, so a failed test leaves none).
final class PrometheusServer {
    let directory: TemporaryDirectory
    let port: Int
    /// The scraped target as its `instance` label shows it.
    let targetName: String
    private let process = Process()
    let logPath: String

    /// Starts Prometheus scraping `target` (`host:port`) at `/metrics`, with the bearer token in
    /// `tokenFile` when given, and waits until it is ready.
    init(target: String, tokenFile: String? = nil) async throws {
        guard Shell.isInstalled("prometheus") else {
            throw TestFailure(
                "prometheus is not installed: the /metrics scrape test needs it (scripts/deps.sh prometheus, "
                    + "which make test and .ci/run ask for, installs Debian's prometheus)")
        }
        directory = try TemporaryDirectory()
        port = try FreePort.loopback()
        targetName = target
        var config = """
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: blogstats
                metrics_path: /metrics
                static_configs:
                  - targets: ['\(target)']

            """
        if let tokenFile {
            config += """
                    authorization:
                      type: Bearer
                      credentials_file: \(tokenFile)

                """
        }
        let configPath = try directory.write("prometheus.yml", config)
        logPath = directory.path("prometheus.log")
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        defer { try? log.close() }
        process.executableURL = URL(fileURLWithPath: try Shell.executable("prometheus"))
        process.arguments = [
            "--config.file=\(configPath)", "--storage.tsdb.path=\(directory.path("data"))",
            "--web.listen-address=127.0.0.1:\(port)", "--log.level=info",
        ]
        process.environment = Shell.childEnvironment([:])
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = log
        process.standardError = log
        try process.run()
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            guard process.isRunning else { throw TestFailure("prometheus exited before it was ready:\n\(self.log)") }
            if let ready = try? await Curl.request(url("/-/ready"), timeout: 5), ready.status == 200 { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        kill(process.processIdentifier, SIGKILL)
        throw TestFailure("prometheus was not ready within 60 s:\n\(self.log)")
    }

    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    var log: String { String(decoding: FileManager.default.contents(atPath: logPath) ?? Data(), as: UTF8.self) }

    /// An instant query through `/api/v1/query`: the result's series as (labels, value).
    func query(_ promQL: String) async throws -> [(labels: [String: String], value: String)] {
        let encoded = promQL.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? promQL
        let answer = try await Curl.request(url("/api/v1/query?query=\(encoded)"))
        guard answer.status == 200, let object = answer.object, object["status"] as? String == "success",
            let data = object["data"] as? [String: Any], let result = data["result"] as? [[String: Any]]
        else { throw TestFailure("query \(promQL) failed: \(answer.summary)") }
        return result.map { series in
            let labels = series["metric"] as? [String: String] ?? [:]
            let value = (series["value"] as? [Any])?.last as? String ?? ""
            return (labels, value)
        }
    }

    /// The scrape target's health and last error as `/api/v1/targets` reports them.
    func target() async throws -> (health: String, lastError: String)? {
        let answer = try await Curl.request(url("/api/v1/targets"))
        guard let data = answer.object?["data"] as? [String: Any],
            let active = data["activeTargets"] as? [[String: Any]], let first = active.first
        else { return nil }
        return (first["health"] as? String ?? "", first["lastError"] as? String ?? "")
    }

    /// Waits until `condition` holds, polling; throws with Prometheus's log after `timeout`.
    func waitUntil(
        _ what: String, timeout: Double = 60, _ condition: () async throws -> Bool
    ) async throws {
        let deadline = ContinuousClock.now + .seconds(timeout)
        while ContinuousClock.now < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(250))
        }
        let target = try? await target()
        throw TestFailure(
            "\(what): not within \(timeout) s (target \(String(describing: target)))\n\(log.suffix(3000))")
    }

    /// SIGTERM, then waits for the process to end (SIGKILL after 20 s).
    func stop() async {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        let deadline = ContinuousClock.now + .seconds(20)
        while process.isRunning && ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(50)) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}
