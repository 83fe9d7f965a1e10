import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Plays WriteFreely counting views: one `sqlite3` connection in rollback-journal mode with a
/// 5 s busy timeout, running `UPDATE posts SET view_count = view_count + 1` in its own
/// transaction, over and over, until stopped. `-bail` makes the first SQLITE_BUSY fatal, and
/// it lands on stderr. Updates are fed a batch at a time, each once the last is done, so
/// stopping never waits for a long backlog.
final class ViewCountWriter: @unchecked Sendable {
    // @unchecked: `process` and `input` are only touched by the owner; counters are atomic.
    private let process = Process()
    private let input = Pipe()
    private let directory: TemporaryDirectory
    private let stopping = Atomic<Bool>(false)
    private let issued = Atomic<Int>(0)
    private let fed = DispatchSemaphore(value: 0)

    init(database: String, ids: [String]) throws {
        directory = try TemporaryDirectory()
        process.executableURL = URL(fileURLWithPath: try Command.which("sqlite3"))
        process.arguments = ["-bail", database]
        process.environment = Command.childEnvironment([:])
        process.standardInput = input
        for name in ["out", "err"] { _ = FileManager.default.createFile(atPath: directory.path(name), contents: nil) }
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: directory.path("out")))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: directory.path("err")))
        try process.run()
        let handle = input.fileHandleForWriting
        // WriteFreely's settings: rollback journal (the file's mode, untouched) and 5 s busy timeout.
        handle.write(Data(".timeout 5000\n".utf8))
        DispatchQueue.global().async { [self] in
            var index = 0
            var batches = 0
            while !stopping.load(ordering: .relaxed) {
                var batch = ""
                for _ in 0..<5 {
                    batch += "UPDATE posts SET view_count = view_count + 1 WHERE id = '\(ids[index % ids.count])';\n"
                    index += 1
                }
                handle.write(Data((batch + ".print batch\n").utf8))
                issued.add(5, ordering: .relaxed)
                batches += 1
                while !stopping.load(ordering: .relaxed) && process.isRunning && completedBatches() < batches {
                    usleep(1000)
                }
            }
            handle.write(Data(".quit\n".utf8))
            try? handle.close()
            fed.signal()
        }
    }

    private func completedBatches() -> Int {
        (FileManager.default.contents(atPath: directory.path("out")) ?? Data()).count / "batch\n".utf8.count
    }

    /// Updates handed to sqlite3 so far.
    var updatesIssued: Int { issued.load(ordering: .relaxed) }

    /// Stops feeding, lets sqlite3 finish every update it was given, and reports.
    func stop() async throws -> (status: Int32, errors: String, updates: Int) {
        stopping.store(true, ordering: .relaxed)
        fed.wait()
        let deadline = ContinuousClock.now + .seconds(60)
        while process.isRunning {
            if ContinuousClock.now > deadline {
                kill(process.processIdentifier, SIGKILL)
                throw TestFailure("the writer did not finish")
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        let errors = String(
            decoding: FileManager.default.contents(atPath: directory.path("err")) ?? Data(), as: UTF8.self)
        return (process.terminationStatus, errors, updatesIssued)
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}
