import BlogStatsHTTPClient
import Foundation

/// Every HTTP request of an import goes through here: one GET, whole answer in memory (pages
/// are bounded by `LIMIT`).
final class InfluxQueryClient: Sendable {
    private let client = HTTPClient(userAgent: "blogstats-import")
    private let timeout: Double

    init(timeout: Double = 300) {
        self.timeout = timeout
    }

    /// GET `url` with extra headers; the status and the body, or a transport failure.
    func get(_ url: String, headers: [(String, String)] = []) throws(InfluxError) -> (status: Int, body: [UInt8]) {
        // InfluxDB may think for a long time before the first byte of a big page: the silence
        // allowed is the whole timeout, not a short connect limit.
        let request = HTTPClientRequest(
            method: "GET", url: url, headers: headers.map { (name: $0.0, value: $0.1) },
            connectTimeout: timeout, timeout: timeout)
        do {
            let response = try client.send(request)
            return (response.status, response.body)
        } catch {
            let host = URLComponents(string: url)?.host ?? url
            throw InfluxError("cannot reach InfluxDB at \(host): \(error.message)")
        }
    }
}
