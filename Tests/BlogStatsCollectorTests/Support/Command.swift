import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// What a finished command left behind.
struct CommandResult: Sendable {
    var command: String
    var status: Int32
    var signalled: Bool
    var stdout: [UInt8]
    var stderr: String

    var output: String { String(decoding: stdout, as: UTF8.self) }

    /// For expectation messages.
    var summary: String {
        "\(command) → \(signalled ? "signal" : "exit") \(status)\nstdout: \(output.prefix(1500))\nstderr: \(stderr.prefix(3000))"
    }
}

/// Runs real programs (`blogstats`, `sqlite3`, `bash`) as child processes. Output goes to
/// files, never pipes, so a chatty child cannot block and a grandchild cannot hold a read open.
enum Command {
    static func run(
        _ executable: String, _ arguments: [String], stdin: Data? = nil, environment: [String: String] = [:],
        timeout: Double = 30
    ) async throws -> CommandResult {
        let process = try start(executable, arguments, stdin: stdin, environment: environment)
        let deadline = ContinuousClock.now + .seconds(timeout)
        while process.process.isRunning {
            if ContinuousClock.now > deadline {
                kill(process.process.processIdentifier, SIGKILL)
                throw TestFailure("timed out after \(timeout) s: \(executable) \(arguments.joined(separator: " "))")
            }
            try await Task.sleep(for: .milliseconds(5))
        }
        return process.result()
    }

    /// `blogstats ARGUMENTS…`
    static func blogstats(
        _ arguments: [String], stdin: Data? = nil, environment: [String: String] = [:], timeout: Double = 30
    ) async throws -> CommandResult {
        try await run(BlogstatsBinary.path, arguments, stdin: stdin, environment: environment, timeout: timeout)
    }

    /// `sqlite3 -bail DB` with SQL on stdin; throws unless it succeeds silently on stderr.
    @discardableResult
    static func sqlite(_ database: String, _ sql: String, arguments: [String] = []) async throws -> String {
        let result = try await run(try which("sqlite3"), ["-bail"] + arguments + [database], stdin: Data(sql.utf8))
        guard result.status == 0, result.stderr.isEmpty else { throw TestFailure("sqlite3 failed: \(result.summary)") }
        return result.output
    }

    static func start(
        _ executable: String, _ arguments: [String], stdin: Data? = nil, environment: [String: String] = [:]
    ) throws -> RunningCommand {
        try RunningCommand(executable, arguments, stdin: stdin, environment: environment)
    }

    static func which(_ name: String) throws -> String {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw TestFailure("\(name) is not installed (not on PATH)")
    }

    /// This process's environment without `BLOGSTATS_*` (which would change how a child runs).
    static func childEnvironment(_ extra: [String: String]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("BLOGSTATS_") }
        for (key, value) in extra { environment[key] = value }
        return environment
    }
}

/// A child process still running; its output collects in files.
final class RunningCommand {
    let process = Process()
    let description: String
    private let directory: TemporaryDirectory

    init(_ executable: String, _ arguments: [String], stdin: Data?, environment: [String: String]) throws {
        directory = try TemporaryDirectory()
        description = ([executable] + arguments).map { $0.count > 120 ? "\($0.prefix(120))…" : $0 }.joined(
            separator: " ")
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = Command.childEnvironment(environment)
        for name in ["stdout", "stderr"] {
            _ = FileManager.default.createFile(atPath: directory.path(name), contents: nil)
        }
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: directory.path("stdout")))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: directory.path("stderr")))
        if let stdin {
            _ = FileManager.default.createFile(atPath: directory.path("stdin"), contents: stdin)
            process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: directory.path("stdin")))
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        do {
            try process.run()
        } catch {
            throw TestFailure("cannot run \(executable): \(error)")
        }
    }

    var pid: Int32 { process.processIdentifier }
    var stderr: String {
        String(decoding: FileManager.default.contents(atPath: directory.path("stderr")) ?? Data(), as: UTF8.self)
    }

    func waitForExit(timeout: Double = 30) async throws -> CommandResult {
        let deadline = ContinuousClock.now + .seconds(timeout)
        while process.isRunning {
            if ContinuousClock.now > deadline {
                kill(pid, SIGKILL)
                throw TestFailure("did not exit within \(timeout) s: \(description)\n\(stderr)")
            }
            try await Task.sleep(for: .milliseconds(5))
        }
        return result()
    }

    func result() -> CommandResult {
        CommandResult(
            command: description, status: process.terminationStatus,
            signalled: process.terminationReason == .uncaughtSignal,
            stdout: [UInt8](FileManager.default.contents(atPath: directory.path("stdout")) ?? Data()), stderr: stderr)
    }

    deinit {
        if process.isRunning { kill(pid, SIGKILL) }
    }
}

/// The `blogstats` executable SwiftPM built next to this test bundle (the test target depends
/// on it), or `BLOGSTATS_BINARY`.
enum BlogstatsBinary {
    static let path: String = {
        if let path = ProcessInfo.processInfo.environment["BLOGSTATS_BINARY"], !path.isEmpty { return path }
        for start in [CommandLine.arguments.first, Bundle.main.executablePath].compactMap({ $0 }) {
            var directory = URL(fileURLWithPath: start).standardizedFileURL.deletingLastPathComponent()
            while directory.path != "/" {
                let candidate = directory.appendingPathComponent("blogstats").path
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory), !isDirectory.boolValue
                {
                    return candidate
                }
                directory.deleteLastPathComponent()
            }
        }
        return "blogstats"
    }()
}
