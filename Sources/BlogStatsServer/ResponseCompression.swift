import BlogStatsCore
import BlogStatsHTTP

/// gzip for text answers (pages, JSON, CSS, JS) when the client accepts it: the dashboard's
/// HTML and SVG shrink five- to sevenfold, which matters on a phone.
enum ResponseCompression {
    static let compressible = [
        "text/html", "application/json", "text/css", "text/javascript", "application/javascript",
    ]

    static func apply(_ response: HTTPResponse, for request: HTTPRequest) -> HTTPResponse {
        guard case .bytes(let body) = response.body, body.count >= 1024,
            acceptsGzip(request.header("accept-encoding")),
            !response.headers.contains(where: { $0.0.lowercased() == "content-encoding" }),
            let type = response.headers.first(where: { $0.0.lowercased() == "content-type" })?.1.lowercased(),
            compressible.contains(where: { type.hasPrefix($0) })
        else { return response }
        var compressed = response
        compressed.body = .bytes(Gzip.deflate(body))
        compressed.headers.append(("Content-Encoding", "gzip"))
        compressed.headers.append(("Vary", "Accept-Encoding"))
        return compressed
    }

    /// True when `gzip` is listed without `q=0`.
    static func acceptsGzip(_ header: String?) -> Bool {
        guard let header else { return false }
        return header.lowercased().split(separator: ",").contains { item in
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: " ") }
            guard parts.first == "gzip" || parts.first == "x-gzip" else { return false }
            let quality = parts.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            return quality > 0
        }
    }
}
