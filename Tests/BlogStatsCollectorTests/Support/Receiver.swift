import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A real `blogstats serve` on 127.0.0.1 with an ephemeral port, learnt from its first log
/// line; it can be stopped and started again on the same port and store.
final class Receiver {
    let store: String
    let extraArguments: [String]
    private(set) var port = 0
    /// "https" when started with --tls-cert and --tls-key.
    private(set) var scheme = "http"
    private var running: RunningCommand?

    init(store: String, arguments: [String] = []) async throws {
        self.store = store
        extraArguments = arguments
        try await start(listen: "127.0.0.1:0")
    }

    var url: String { "\(scheme)://127.0.0.1:\(port)/stats" }

    func stop() async throws {
        guard let running else { return }
        kill(running.pid, SIGTERM)
        _ = try await running.waitForExit(timeout: 15)
        self.running = nil
    }

    /// Starts again on the same port (the port may take a moment to be free).
    func restart() async throws {
        let deadline = ContinuousClock.now + .seconds(5)
        while true {
            do {
                try await start(listen: "127.0.0.1:\(port)")
                return
            } catch  where ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    private func start(listen: String) async throws {
        let running = try Command.start(
            BlogstatsBinary.path, ["serve", "--listen", listen, "--data", store] + extraArguments)
        let deadline = ContinuousClock.now + .seconds(60)
        // Looks once more after the deadline: on a busy machine the sleep below may end late.
        while true {
            // blogstats 0.1.0 listening on http://127.0.0.1:PORT/ store PATH (or https://)
            let log = running.stderr
            if let line = log.split(separator: "\n").first(where: { $0.contains(" listening on ") }) {
                guard let marker = line.range(of: "://127.0.0.1:"),
                    let port = Int(line[marker.upperBound...].prefix(while: \.isNumber))
                else { throw TestFailure("cannot read the port in \"\(line)\"") }
                self.port = port
                scheme = line[..<marker.lowerBound].hasSuffix("https") ? "https" : "http"
                self.running = running
                return
            }
            if !running.process.isRunning { throw TestFailure("blogstats serve exited: \(log)") }
            guard ContinuousClock.now < deadline else { break }
            try await Task.sleep(for: .milliseconds(5))
        }
        throw TestFailure("blogstats serve did not start: \(running.stderr)")
    }

    /// Capture times (epoch seconds) the store has for `blog`.
    func captureTimes(blog: String) async throws -> [Int64] {
        let output = try await Command.sqlite(
            store,
            "SELECT s.t FROM snapshots s JOIN blogs b USING (blog_key) WHERE b.name = '\(blog)' ORDER BY s.t;")
        return output.split(separator: "\n").compactMap { Int64($0) }
    }

    /// Every post the store knows, with its latest slug, count and title, as CSV with a blog column.
    func latestPosts() async throws -> String {
        try await Command.sqlite(
            store,
            """
            SELECT b.name AS blog, p.id AS id,
              (SELECT n.slug FROM names n WHERE n.post_key = p.post_key ORDER BY n.t DESC LIMIT 1) AS slug,
              (SELECT s.views FROM samples s WHERE s.post_key = p.post_key ORDER BY s.t DESC LIMIT 1) AS view_count,
              (SELECT n.title FROM names n WHERE n.post_key = p.post_key ORDER BY n.t DESC LIMIT 1) AS title
            FROM posts p JOIN blogs b USING (blog_key);
            """, arguments: ["-csv", "-header"])
    }

    deinit {
        if let running, running.process.isRunning { kill(running.pid, SIGKILL) }
    }
}
