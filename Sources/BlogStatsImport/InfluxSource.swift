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

    /// InfluxDB's earliest time. `time >= -9223372036854775808` (Int64.min, its "no bound"
    /// marker) silently leaves out points on InfluxDB 1.6, so a page never starts before this.
    public static let minimumTime: Int64 = -9_223_372_036_854_775_806

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
        cursor = max(start, InfluxSource.minimumTime)
        self.end = end
        limit = max(1, source.pageSize)
    }

    /// The query of the next page.
    var nextQuery: String { source.pageQuery(cursor: cursor, end: end, limit: limit) }

    /// The next page, never splitting one timestamp's points; nil when all are read.
    ///
    /// The last timestamp of a page is read again at the start of the next one, so a page cut
    /// short anywhere (by `LIMIT` or otherwise) never loses a point; only an empty page ends.
    func next() throws(InfluxError) -> [InfluxPoint]? {
        while !finished {
            let points = try source.run(nextQuery, client: client).points
            guard let firstTime = points.first?.time, let lastTime = points.last?.time else {
                finished = true
                return nil
            }
            if firstTime == lastTime {
                // One timestamp only: whole unless the page is full, then read it bigger.
                if points.count >= limit {
                    limit *= 2
                    continue
                }
                cursor = lastTime + 1
                limit = max(1, source.pageSize)
                return points
            }
            let cut = points.firstIndex { $0.time == lastTime }!
            cursor = lastTime
            limit = max(1, source.pageSize)
            return Array(points[..<cut])
        }
        return nil
    }
}
