import Foundation

/// Talks to the receiver with the real `curl` binary, the client the old pipeline uses.
enum Curl {
    /// One request. `headers` are `Name: value` lines; `arguments` are extra curl options
    /// (`-k`, `-g`, `--cacert F`…). A body is sent from a file with `--data-binary`, so curl
    /// sends it unchanged with its Content-Length.
    static func request(
        _ url: String, method: String = "GET", body: Data? = nil, headers: [String] = [],
        arguments: [String] = [], timeout: Int = 30
    ) async throws -> HTTPAnswer {
        let directory = try TemporaryDirectory()
        var options = [
            "-s", "-S", "-m", String(timeout), "-X", method, "-o", directory.path("body"),
            "-D", directory.path("headers"), "-w", "%{http_code}",
        ]
        for header in headers { options += ["-H", header] }
        if let body { options += ["--data-binary", "@" + (try directory.write("request", body))] }
        let result = try await Shell.run("curl", options + arguments + [url], timeout: Double(timeout + 10))
        return answer(result, directory: directory)
    }

    /// `POST` of a snapshot body; Content-Type `text/csv` unless `headers` names another one.
    static func push(
        _ url: String, _ body: Data, headers: [String] = [], arguments: [String] = []
    ) async throws -> HTTPAnswer {
        let hasType = headers.contains { $0.lowercased().hasPrefix("content-type:") }
        return try await request(
            url, method: "POST", body: body, headers: (hasType ? [] : ["Content-Type: text/csv"]) + headers,
            arguments: arguments)
    }

    static func push(
        _ url: String, _ csv: String, headers: [String] = [], arguments: [String] = []
    ) async throws -> HTTPAnswer {
        try await push(url, Data(csv.utf8), headers: headers, arguments: arguments)
    }

    static func answer(_ result: CommandResult, directory: TemporaryDirectory) -> HTTPAnswer {
        let headerText = String(decoding: directory.read("headers") ?? Data(), as: UTF8.self)
        var headers: [String: String] = [:]
        for line in headerText.split(whereSeparator: \.isNewline) {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
                in: .whitespaces)
        }
        return HTTPAnswer(
            status: Int(result.output.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0, headers: headers,
            body: directory.read("body") ?? Data(), curlExit: result.status, curlError: result.errorOutput)
    }
}
