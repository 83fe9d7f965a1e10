import Foundation
import Testing

/// Helpers shared by the test files: running the real CLIs (`sqlite3`, `gzip`) and scratch files.
enum TestSupport {
    /// The absolute path of an executable found on `PATH`, or nil.
    static func which(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    struct Output {
        var status: Int32
        var stdout: [UInt8]
        var stderr: String
    }

    /// Runs a program to completion; stdin comes from a file so that nothing can deadlock on pipes.
    static func run(_ executable: String, _ arguments: [String], stdinFile: URL? = nil) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        if let stdinFile {
            process.standardInput = try FileHandle(forReadingFrom: stdinFile)
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        try process.run()
        // Drain stderr concurrently so a chatty program cannot block on a full pipe.
        let errorData = LockedData()
        let errorReader = Thread {
            errorData.set(err.fileHandleForReading.readDataToEndOfFile())
        }
        errorReader.start()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !errorData.isSet { usleep(1000) }
        return Output(
            status: process.terminationStatus, stdout: [UInt8](stdout),
            stderr: String(decoding: errorData.get(), as: UTF8.self))
    }

    /// A fresh scratch directory, removed by the caller with `cleanUp`.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("blogstats-core-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func cleanUp(_ url: URL) {
        try? FileManager.default.removeItem(at: url)
    }
}

final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data: Data? = nil

    func set(_ value: Data) { lock.withLock { data = value } }
    var isSet: Bool { lock.withLock { data != nil } }
    func get() -> Data { lock.withLock { data ?? Data() } }
}
