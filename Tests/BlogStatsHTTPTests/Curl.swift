import Foundation

/// Runs the real `curl` binary against a test server and reports what it got.
struct Curl {
    struct Result {
        var exitCode: Int32
        var status: Int
        var body: Data
        var headers: [String: String]
        var stderr: String
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// `curl -s -S <arguments> <url>`; the body is written to a temp file so multi-MB bodies are fine.
    static func run(_ url: String, _ arguments: [String] = [], timeout: Int = 30) throws -> Result {
        let directory = try TemporaryDirectory()
        let bodyFile = directory.path("body")
        let headerFile = directory.path("headers")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments =
            [
                "-s", "-S", "--max-time", String(timeout), "-o", bodyFile, "-D", headerFile,
                "-w", "%{http_code}",
            ] + arguments + [url]
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        let err = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let body = (try? Data(contentsOf: URL(fileURLWithPath: bodyFile))) ?? Data()
        let headerText = (try? String(contentsOfFile: headerFile, encoding: .utf8)) ?? ""
        var headers: [String: String] = [:]
        for line in headerText.split(whereSeparator: \.isNewline) {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].lowercased()
            headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return Result(
            exitCode: process.terminationStatus, status: Int(String(decoding: out, as: UTF8.self)) ?? 0,
            body: body, headers: headers, stderr: String(decoding: err, as: UTF8.self))
    }

    static var isAvailable: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/curl") }
}
