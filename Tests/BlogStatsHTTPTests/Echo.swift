import BlogStatsHTTP
import Foundation

extension HTTPRequest {
    /// The request as JSON, for handlers that echo what they saw.
    func echoJSON() -> [UInt8] {
        let object: [String: Any] = [
            "method": method, "path": path, "query": query, "headers": headers, "bodyCount": body.count,
            "peer": peer.description,
        ]
        return Array((try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data())
    }
}

/// Decodes the JSON produced by HTTPRequest.echoJSON.
struct Echo: Decodable {
    var method: String
    var path: String
    var query: [String: String]
    var headers: [String: String]
    var bodyCount: Int
    var peer: String

    init(_ data: Data) throws {
        self = try JSONDecoder().decode(Echo.self, from: data)
    }
}
