import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A real `blogstats serve` process: started on an ephemeral port (learnt from its first log
/// line), stopped with SIGTERM or killed with SIGKILL, restarted on the same port and store.
///
/// Its stderr goes to a log file next to the store, read line by line while it runs; the file
/// outlives the process, so a failed test can show what the receiver said.
final class ReceiverProcess {
    let directory: TemporaryDirectory
    let storePath: String
    let arguments: [String]
    let environment: [String: String]
    /// `--listen` as first given (nil: from the environment or the default).
    let listen: String?
    let passData: Bool

    private(set) var scheme = "http"
    /// As printed in the log: `127.0.0.1` or `[::1]`.
    private(set) var host = ""
    private(set) var port = 0
    /// The store path the receiver printed.
    private(set) var announcedStore = ""
    private var process: Process?
    private var run = 0
    private(set) var logPath = ""

    /// Starts `blogstats serve --data DIRECTORY/STORE --listen LISTEN ARGUMENTS…` and waits until
    /// it listens. The receiver keeps `directory` (store and logs) alive as long as it lives.
    init(
        in directory: TemporaryDirectory, store: String = "store.db", listen: String? = "127.0.0.1:0",
        arguments: [String] = [], environment: [String: String] = [:], passData: Bool = true
    ) async throws {
        self.directory = directory
        storePath = directory.path(store)
        self.listen = listen
        self.arguments = arguments
        self.environment = environment
        self.passData = passData
        try await launch(listen: listen)
    }

    var url: String { "\(scheme)://\(host):\(port)" }
    func url(_ path: String) -> String { url + path }
    var store: StoreFile { StoreFile(path: storePath) }
    var pid: Int32 { process?.processIdentifier ?? 0 }
    var isRunning: Bool { process?.isRunning ?? false }

    /// Complete lines the current run has logged so far.
    func lines() -> [String] {
        Self.lines(in: logPath)
    }

    /// The whole log of the current run (for expectation messages).
    var log: String { lines().joined(separator: "\n") }

    /// Waits for a logged line containing `text`.
    func waitForLine(containing text: String, timeout: Double = 5) async throws -> String? {
        let deadline = ContinuousClock.now + .seconds(timeout)
        while ContinuousClock.now < deadline {
            if let line = lines().first(where: { $0.contains(text) }) { return line }
            try await Task.sleep(for: .milliseconds(10))
        }
        return lines().first(where: { $0.contains(text) })
    }

    /// SIGTERM, then waits for the process to end. Returns its exit status.
    @discardableResult
    func terminate(timeout: Double = 15) async throws -> (status: Int32, signalled: Bool) {
        guard let process else { throw TestFailure("the receiver was never started") }
        kill(process.processIdentifier, SIGTERM)
        return try await waitForExit(timeout: timeout)
    }

    /// SIGKILL: no draining, no clean close of the store.
    func kill9() async throws {
        guard let process else { return }
        kill(process.processIdentifier, SIGKILL)
        _ = try await waitForExit(timeout: 10)
    }

    /// Starts again on the same address, port and store (after `terminate` or `kill9`).
    func restart() async throws {
        guard !isRunning else { throw TestFailure("restart while the receiver is still running") }
        // The port may still be held for a moment after a kill; retry a bounded while.
        let deadline = ContinuousClock.now + .seconds(5)
        while true {
            do {
                try await launch(listen: "\(host):\(port)")
                return
            } catch let error as TestFailure
                where error.description.contains("in use") && ContinuousClock.now < deadline
            {
                try await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    /// Waits for the process to end and reports how.
    func waitForExit(timeout: Double) async throws -> (status: Int32, signalled: Bool) {
        guard let process else { throw TestFailure("the receiver was never started") }
        let deadline = ContinuousClock.now + .seconds(timeout)
        while process.isRunning {
            guard ContinuousClock.now < deadline else {
                kill(process.processIdentifier, SIGKILL)
                throw TestFailure("the receiver did not exit within \(timeout) s:\n\(log)")
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        return (process.terminationStatus, process.terminationReason == .uncaughtSignal)
    }

    private func launch(listen: String?) async throws {
        run += 1
        logPath = storePath + ".serve-\(run).log"
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let logHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        defer { try? logHandle.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: BlogstatsBinary.path)
        var commandLine = ["serve"]
        if passData { commandLine += ["--data", storePath] }
        if let listen { commandLine += ["--listen", listen] }
        process.arguments = commandLine + arguments
        process.environment = Shell.childEnvironment(environment)
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = logHandle
        process.standardError = logHandle
        do {
            try process.run()
        } catch {
            throw TestFailure("cannot run \(BlogstatsBinary.path): \(error)")
        }
        self.process = process
        let deadline = ContinuousClock.now + .seconds(60)
        // Looks once more after the deadline: on a busy machine the sleep below may end late.
        while true {
            if let line = lines().first(where: { $0.contains(" listening on ") }) {
                guard let (scheme, host, port, store) = Self.parseListening(line) else {
                    throw TestFailure("cannot read the address in the log line \"\(line)\"")
                }
                (self.scheme, self.host, self.port, self.announcedStore) = (scheme, host, port, store)
                return
            }
            if !process.isRunning {
                // Let the last words reach the file.
                try await Task.sleep(for: .milliseconds(20))
                throw TestFailure(
                    "blogstats serve exited with \(process.terminationStatus) before listening:\n\(log)")
            }
            guard ContinuousClock.now < deadline else { break }
            try await Task.sleep(for: .milliseconds(5))
        }
        kill(process.processIdentifier, SIGKILL)
        throw TestFailure("blogstats serve did not log \"listening on\" within 60 s:\n\(log)")
    }

    /// `blogstats 0.1.0 listening on http://127.0.0.1:41234/ store /tmp/x/store.db`
    /// → ("http", "127.0.0.1", 41234, "/tmp/x/store.db"); IPv6 hosts keep their brackets.
    static func parseListening(_ line: String) -> (String, String, Int, String)? {
        guard let marker = line.range(of: " listening on "),
            let schemeEnd = line.range(of: "://", range: marker.upperBound..<line.endIndex),
            let storeMarker = line.range(of: "/ store ", range: schemeEnd.upperBound..<line.endIndex)
        else { return nil }
        let hostAndPort = line[schemeEnd.upperBound..<storeMarker.lowerBound]
        guard let colon = hostAndPort.lastIndex(of: ":"),
            let port = Int(hostAndPort[hostAndPort.index(after: colon)...]), port > 0
        else { return nil }
        return (
            String(line[marker.upperBound..<schemeEnd.lowerBound]), String(hostAndPort[..<colon]), port,
            String(line[storeMarker.upperBound...])
        )
    }

    static func lines(in path: String) -> [String] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        var lines = String(decoding: data, as: UTF8.self).components(separatedBy: "\n")
        lines.removeLast()  // the unfinished line after the last newline (often "")
        return lines
    }

    deinit {
        // A failed test must not leave a receiver behind.
        if let process, process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}
