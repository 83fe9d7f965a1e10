import BlogStatsCore
import Foundation

/// Where the history is: an InfluxDB 1.x database, read page by page through `/query`.
public struct InfluxSource: Sendable {
    public var url: String
    public var database: String
    public var measurement = "blog_stats"
    public var retentionPolicy: String? = nil
    public var user: String? = nil
    public var password: String? = nil
    /// Points per page: bounds the memory of one answer whatever the history's size.
    public var pageSize = 50_000

    public init(url: String, database: String) {
        self.url = url
        self.database = database
    }

    /// What an import's recorded progress belongs to (no credentials).
    public func identity(defaultBlog: String, from: Int64?) -> String {
        var text = "influx \(url) db=\(database) measurement=\(measurement)"
        if let retentionPolicy { text += " rp=\(retentionPolicy)" }
        text += " blog=\(defaultBlog)"
        if let from { text += " from=\(from)" }
        return text
    }

    /// `"name"` with `"` and `\` escaped, for InfluxQL.
    static func identifier(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    var from: String {
        (retentionPolicy.map { Self.identifier($0) + "." } ?? "") + Self.identifier(measurement)
    }

    /// The InfluxQL of one page: points at or after `cursor` (ns) and before `end`, in time order.
    func pageQuery(cursor: Int64, end: Int64?, limit: Int) -> String {
        var query = "SELECT * FROM \(from) WHERE time >= \(cursor)"
        if let end { query += " AND time < \(end)" }
        return query + " ORDER BY time ASC LIMIT \(limit)"
    }

    /// The time (ns) of the first or last point, nil when there is none.
    func boundaryQuery(last: Bool) -> String {
        "SELECT \(last ? "last" : "first")(\(Self.identifier("value"))) FROM \(from)"
    }

    func queryURL(_ query: String) -> String {
        var components = URLComponents(string: url.hasSuffix("/") ? url + "query" : url + "/query")!
        components.queryItems = [
            URLQueryItem(name: "db", value: database), URLQueryItem(name: "epoch", value: "ns"),
            URLQueryItem(name: "q", value: query),
        ]
        // `+` in a query string reads as a space to InfluxDB.
        components.percentEncodedQuery = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        return components.url!.absoluteString
    }

    func run(_ query: String, client: InfluxQueryClient) throws(InfluxError) -> InfluxResult {
        var headers: [(String, String)] = []
        if let user {
            let credentials = Data("\(user):\(password ?? "")".utf8).base64EncodedString()
            headers.append(("Authorization", "Basic \(credentials)"))
        }
        let (status, body) = try client.get(queryURL(query), headers: headers)
        guard status == 200 else {
            let message = (try? InfluxResult.decode(body)).map { _ in "" } ?? errorText(body)
            switch status {
            case 401, 403: throw InfluxError("InfluxDB refused the credentials (HTTP \(status))\(message)")
            case 404: throw InfluxError("InfluxDB answered 404 at \(url)/query\(message)")
            default: throw InfluxError("InfluxDB answered HTTP \(status)\(message)")
            }
        }
        return try InfluxResult.decode(body)
    }

    private func errorText(_ body: [UInt8]) -> String {
        do throws(InfluxError) {
            _ = try InfluxResult.decode(body)
            return ""
        } catch {
            return ": " + error.description
        }
    }
}

/// Reads a source's points in time order, one bounded page at a time (keyset paging on time).
final class InfluxPager {
    private let source: InfluxSource
    private let client: InfluxQueryClient
    private var cursor: Int64
    private let end: Int64?
    private var limit: Int
    private(set) var finished = false

    init(source: InfluxSource, client: InfluxQueryClient, start: Int64, end: Int64?) {
        self.source = source
        self.client = client
        cursor = start
        self.end = end
        limit = max(1, source.pageSize)
    }

    /// The next page, never splitting one timestamp's points; nil when all are read.
    func next() throws(InfluxError) -> [InfluxPoint]? {
        while !finished {
            let points = try source.run(source.pageQuery(cursor: cursor, end: end, limit: limit), client: client).points
            guard points.count >= limit, let lastTime = points.last?.time else {
                finished = true
                return points.isEmpty ? nil : points
            }
            // A full page may have cut the last timestamp's points short: they start the next one.
            let cut = points.firstIndex { $0.time == lastTime }!
            if cut == 0 {
                // One timestamp holds more points than a page: read it whole.
                limit *= 2
                continue
            }
            cursor = lastTime
            limit = max(1, source.pageSize)
            return Array(points[..<cut])
        }
        return nil
    }
}
