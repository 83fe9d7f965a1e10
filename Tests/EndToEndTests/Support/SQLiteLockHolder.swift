import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Another process holding the store's write lock: an interactive `sqlite3` inside
/// `BEGIN EXCLUSIVE`, fed through a pipe that stays open until `release()`.
final class SQLiteLockHolder {
    private let process = Process()
    private let input = Pipe()
    private let directory: TemporaryDirectory

    /// Returns once the lock is held.
    init(store: String) async throws {
        directory = try TemporaryDirectory()
        let marker = directory.path("locked")
        process.executableURL = URL(fileURLWithPath: try Shell.executable("sqlite3"))
        process.arguments = ["-bail", store]
        process.environment = Shell.childEnvironment([:])
        process.standardInput = input
        let log = directory.path("output")
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let logHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        defer { try? logHandle.close() }
        process.standardOutput = logHandle
        process.standardError = logHandle
        try process.run()
        // `.shell` runs only after BEGIN EXCLUSIVE succeeded (-bail stops at an error).
        try input.fileHandleForWriting.write(
            contentsOf: Data(
                """
                .timeout 5000
                BEGIN EXCLUSIVE;
                .shell touch '\(marker)'

                """.utf8))
        let deadline = ContinuousClock.now + .seconds(10)
        while !FileManager.default.fileExists(atPath: marker) {
            guard process.isRunning, ContinuousClock.now < deadline else {
                throw TestFailure(
                    "sqlite3 did not take the lock: \(String(decoding: directory.read("output") ?? Data(), as: UTF8.self))"
                )
            }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Ends the transaction and the `sqlite3` process.
    func release() async throws {
        try input.fileHandleForWriting.write(contentsOf: Data("COMMIT;\n.quit\n".utf8))
        try input.fileHandleForWriting.close()
        let deadline = ContinuousClock.now + .seconds(10)
        while process.isRunning {
            guard ContinuousClock.now < deadline else { throw TestFailure("sqlite3 did not quit") }
            try await Task.sleep(for: .milliseconds(10))
        }
        let output = String(decoding: directory.read("output") ?? Data(), as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw TestFailure("sqlite3 ended with \(process.terminationStatus): \(output)")
        }
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}
