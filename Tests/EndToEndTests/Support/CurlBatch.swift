import Foundation

/// Many requests in one run of the real `curl` (`--next` between them), made in order over
/// reused connections: the same client as `Curl`, without a process per request.
enum CurlBatch {
    struct Request {
        var url: String
        var method = "GET"
        /// `Name: value` lines.
        var headers: [String] = []
        var body: String? = nil
    }

    static func run(_ requests: [Request], timeout: Int = 30) async throws -> [HTTPAnswer] {
        guard !requests.isEmpty else { return [] }
        let directory = try TemporaryDirectory()
        var arguments: [String] = []
        for (index, request) in requests.enumerated() {
            if index > 0 { arguments.append("--next") }
            arguments += [
                "-s", "-S", "-m", String(timeout), "-X", request.method, "-o", directory.path("body-\(index)"),
                "-D", directory.path("headers-\(index)"), "-w", "%{http_code}\\n",
            ]
            // -X HEAD alone would make curl wait for the body the headers announce.
            if request.method == "HEAD" { arguments.append("-I") }
            for header in request.headers { arguments += ["-H", header] }
            if let body = request.body {
                arguments += ["--data-binary", "@" + (try directory.write("request-\(index)", body))]
            }
            arguments.append(request.url)
        }
        let result = try await Shell.run("curl", arguments, timeout: Double(timeout * 2 + 10))
        let statuses = result.output.split(separator: "\n").map { Int($0) ?? 0 }
        guard statuses.count == requests.count else {
            throw TestFailure("curl made \(statuses.count) of \(requests.count) requests: \(result.summary)")
        }
        return requests.indices.map { index in
            let headerText = String(decoding: directory.read("headers-\(index)") ?? Data(), as: UTF8.self)
            var headers: [String: String] = [:]
            for line in headerText.split(whereSeparator: \.isNewline) {
                guard let colon = line.firstIndex(of: ":") else { continue }
                headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
                    in: .whitespaces)
            }
            return HTTPAnswer(
                status: statuses[index], headers: headers,
                body: requests[index].method == "HEAD" ? Data() : directory.read("body-\(index)") ?? Data(),
                curlExit: result.status, curlError: result.errorOutput)
        }
    }
}
