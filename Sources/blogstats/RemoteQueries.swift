import BlogStatsCore
import BlogStatsHTTPClient
import BlogStatsStore
import Foundation

/// The read API of a remote receiver, answering the same questions as a local store.
final class RemoteQueries: StoreQueries {
    let base: URL
    let token: String?
    private let client = HTTPClient(userAgent: "blogstats/\(Version.text)")

    init(base: URL, token: String?) {
        self.base = base
        self.token = token
    }

    private func get(_ path: String, _ query: [String: String]) throws(StoreError) -> [String: Any] {
        var components = URLComponents(url: base.appendingPathComponent(path), resolvingAgainstBaseURL: false)!
        components.queryItems = query.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
        let url = components.url!.absoluteString
        var headers: [(name: String, value: String)] = [("Accept", "application/json")]
        if let token { headers.append(("Authorization", "Bearer \(token)")) }
        let response: HTTPClientResponse
        do throws(HTTPClientError) {
            response = try client.send(HTTPClientRequest(url: url, headers: headers, connectTimeout: 30, timeout: 120))
        } catch {
            throw StoreError.unavailable("\(url): \(error.message)")
        }
        let object = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any]
        guard response.status == 200, let object else {
            let message = object?["error"] as? String ?? "HTTP \(response.status)"
            throw StoreError.failed("\(url): \(message)")
        }
        return object
    }

    func blogs() throws(StoreError) -> [BlogSummary] {
        let list = try get("api/v1/blogs", [:])["blogs"] as? [[String: Any]] ?? []
        return list.map {
            BlogSummary(
                name: $0["blog"] as? String ?? "", posts: $0["posts"] as? Int ?? 0,
                totalViews: Self.int($0["total_views"]) ?? 0,
                lastSnapshot: ($0["last_snapshot"] as? String).flatMap(Timestamp.parse))
        }
    }

    func topPosts(blog: String, from: Int64, to: Int64, limit: Int, filter: String?) throws(StoreError) -> [TopPost] {
        var query = ["blog": blog, "from": Timestamp.format(from), "to": Timestamp.format(to), "limit": String(limit)]
        if let filter { query["q"] = filter }
        let posts = try get("api/v1/posts", query)["posts"] as? [[String: Any]] ?? []
        return posts.map {
            TopPost(
                id: $0["id"] as? String ?? "", slug: $0["slug"] as? String ?? "", title: $0["title"] as? String ?? "",
                views: Self.int($0["views"]) ?? 0, previousViews: Self.int($0["previous_views"]) ?? 0,
                total: Self.int($0["total"]), firstSeen: ($0["first_seen"] as? String).flatMap(Timestamp.parse) ?? 0)
        }
    }

    func blogSeries(blog: String, grid: BucketGrid) throws(StoreError) -> [SeriesBucket]? {
        let answer = try get("api/v1/blogs/\(blog)/series", Self.window(grid))
        return Self.buckets(answer)
    }

    func postSeries(blog: String, id: String, grid: BucketGrid) throws(StoreError) -> PostSeries? {
        let answer = try get("api/v1/posts/\(blog)/\(id)/series", Self.window(grid))
        return PostSeries(id: id, firstSeen: 0, buckets: Self.buckets(answer), names: [], removed: [])
    }

    private static func window(_ grid: BucketGrid) -> [String: String] {
        ["from": Timestamp.format(grid.starts[0]), "to": Timestamp.format(grid.end), "step": "\(grid.step)s"]
    }

    private static func buckets(_ answer: [String: Any]) -> [SeriesBucket] {
        (answer["buckets"] as? [[String: Any]] ?? []).map {
            SeriesBucket(
                start: ($0["start"] as? String).flatMap(Timestamp.parse) ?? 0, cumulative: int($0["cumulative"]),
                views: int($0["views"]), gapSeconds: int($0["gap_seconds"]), reset: $0["reset"] as? Bool ?? false)
        }
    }

    private static func int(_ value: Any?) -> Int64? { (value as? NSNumber)?.int64Value }
}
