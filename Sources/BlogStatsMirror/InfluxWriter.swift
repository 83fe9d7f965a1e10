import BlogStatsHTTPClient
import Foundation

/// The mirror's only HTTP client: a POST answered with status, headers and body, or a ping
/// (callable from several threads at once). Every request InfluxDB sees goes through `request`.
final class InfluxWriter: Sendable {
    struct Answer: Sendable {
        var status: Int
        /// Names in lower case.
        var headers: [String: String]
        var body: [UInt8]
    }

    /// No HTTP answer (refused, timed out, cancelled).
    struct TransportError: Error, Sendable, CustomStringConvertible {
        var description: String
    }

    private let base: String
    private let timeout: Double
    /// libcurl is loaded on the first write, so a receiver without the mirror never maps it.
    private let client = HTTPClient(userAgent: "blogstats-mirror")

    init(url: String, timeout: Double) {
        var base = url
        while base.hasSuffix("/") { base.removeLast() }
        self.base = base
        self.timeout = timeout
    }

    /// POSTs `body` (a known length, never a stream) and waits at most `timeout` seconds.
    func post(path: String, query: [(String, String)], headers: [(String, String)], body: [UInt8])
        throws(TransportError) -> Answer
    {
        try request("POST", path: path, query: query, headers: headers, body: body)
    }

    /// `GET /ping` (InfluxDB 1.x and 2.x answer 204): throws when InfluxDB does not answer.
    func ping() throws(TransportError) {
        _ = try request("GET", path: "/ping", query: [], headers: [], body: [])
    }

    private func request(
        _ method: String, path: String, query: [(String, String)], headers: [(String, String)], body: [UInt8]
    ) throws(TransportError) -> Answer {
        var components = URLComponents(string: base + path)
        components?.queryItems = query.isEmpty ? nil : query.map { URLQueryItem(name: $0.0, value: $0.1) }
        guard let url = components?.string else { throw TransportError(description: "bad URL \(base + path)") }
        let request = HTTPClientRequest(
            method: method, url: url, headers: headers.map { (name: $0.0, value: $0.1) }, body: body,
            connectTimeout: min(10, timeout), timeout: timeout)
        do {
            let response = try client.send(request)
            return Answer(status: response.status, headers: response.headers, body: response.body)
        } catch {
            throw TransportError(description: Self.describe(error))
        }
    }

    /// Ends the requests in flight at once (on stop).
    func cancel() {
        client.cancelAll()
    }

    private static func describe(_ error: HTTPClientError) -> String {
        switch error.kind {
        case .connect: "connection refused (\(error.message))"
        case .connectTimeout, .timeout: "timed out (\(error.message))"
        case .resolve: "cannot resolve the host (\(error.message))"
        case .connectionLost: "connection lost (\(error.message))"
        case .cancelled: "cancelled"
        case .libraryMissing: error.message
        default: error.message
        }
    }
}
