import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Runs real commands (`sqlite3`, `curl`, `gzip`, `bash -c` pipelines) as child processes.
///
/// Output goes to files rather than pipes, so a command writing megabytes never blocks and a
/// grandchild that inherits the descriptors cannot keep a read from ending.
enum Shell {
    /// Runs `command` (a name looked up on PATH, or a path) and waits for it.
    static func run(
        _ command: String, _ arguments: [String], input: Data? = nil, environment: [String: String] = [:],
        timeout: Double = 60
    ) async throws -> CommandResult {
        let directory = try TemporaryDirectory()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try executable(command))
        process.arguments = arguments
        process.environment = childEnvironment(environment)
        let outPath = directory.path("stdout")
        let errPath = directory.path("stderr")
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        defer {
            try? out.close()
            try? err.close()
        }
        process.standardOutput = out
        process.standardError = err
        if let input {
            let inPath = try directory.write("stdin", input)
            process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: inPath))
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        let described = ([command] + arguments).map { $0.count > 200 ? "\($0.prefix(200))…" : $0 }.joined(
            separator: " ")
        let timedOut = try await waitForExit(process, timeout: timeout)
        let result = CommandResult(
            command: described, status: process.terminationStatus,
            signalled: process.terminationReason == .uncaughtSignal,
            stdout: directory.read("stdout") ?? Data(), stderr: directory.read("stderr") ?? Data())
        if timedOut { throw TestFailure("timed out after \(timeout) s: \(result.summary)") }
        return result
    }

    /// `bash -c script`, with `set -o pipefail` so a failing `sqlite3` in a pipeline is seen.
    static func bash(
        _ script: String, input: Data? = nil, environment: [String: String] = [:], timeout: Double = 60
    ) async throws -> CommandResult {
        try await run(
            "bash", ["-c", "set -o pipefail\n" + script], input: input, environment: environment, timeout: timeout)
    }

    /// Starts `process` and waits for it to end; kills it (SIGKILL) after `timeout` seconds.
    /// Returns true when it had to be killed.
    static func waitForExit(_ process: Process, timeout: Double) async throws -> Bool {
        let start = ContinuousClock.now
        var watchdog: Task<Void, Never>? = nil
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            process.terminationHandler = { _ in continuation.resume() }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: TestFailure("cannot run \(process.executableURL?.path ?? "?"): \(error)"))
                return
            }
            let pid = process.processIdentifier
            watchdog = Task {
                try? await Task.sleep(for: .seconds(timeout))
                if !Task.isCancelled { kill(pid, SIGKILL) }
            }
        }
        watchdog?.cancel()
        return process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL
            && ContinuousClock.now - start >= .seconds(timeout)
    }

    /// The environment of a child: this process's, minus any `BLOGSTATS_*` setting (which would
    /// silently change how a receiver starts), plus `extra`.
    static func childEnvironment(_ extra: [String: String]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("BLOGSTATS_") }
        for (key, value) in extra { environment[key] = value }
        return environment
    }

    /// `name` resolved on PATH (a name with a slash is taken as it is).
    static func executable(_ name: String) throws -> String {
        if name.contains("/") { return name }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw TestFailure("\(name) is not installed (not found on PATH)")
    }

    static func isInstalled(_ name: String) -> Bool { (try? executable(name)) != nil }
}
