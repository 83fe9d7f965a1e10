import BlogStatsCore
import BlogStatsHTTP
import BlogStatsStore

/// The read API under `/api/v1/`: blogs, top posts, series.
struct QueryHandler: Sendable {
    let store: any StoreQueries
    let authorizer: ReadAuthorizer
    let utcOffset: @Sendable (Int64) -> Int64
    let now: @Sendable () -> Int64

    /// Answers a GET under /api/v1/, or nil when the path is not one of the read API's.
    func handle(_ request: HTTPRequest, components: [Substring]) -> HTTPResponse? {
        let route: (() throws(APIError) -> [UInt8])?
        switch components.count {
        case 3 where components[2] == "blogs": route = { () throws(APIError) in try blogs() }
        case 3 where components[2] == "posts": route = { () throws(APIError) in try posts(request.query) }
        case 5 where components[2] == "blogs" && components[4] == "series":
            route = { () throws(APIError) in try blogSeries(String(components[3]), request.query) }
        case 6 where components[2] == "posts" && components[5] == "series":
            route = { () throws(APIError) in try postSeries(String(components[3]), String(components[4]), request.query)
            }
        default: route = nil
        }
        guard let route else { return nil }
        if let denied = deniedRead(request) { return denied }
        do throws(APIError) {
            return .json(200, try route())
        } catch {
            return error.response
        }
    }

    /// The refusal for a request without the right to read, or nil when it may.
    func deniedRead(_ request: HTTPRequest) -> HTTPResponse? {
        authorizer.decide(request, now: now())?.response
    }

    private func stored<T>(_ body: () throws(StoreError) -> T) throws(APIError) -> T {
        do throws(StoreError) {
            return try body()
        } catch {
            throw APIError(error)
        }
    }

    private func blogs() throws(APIError) -> [UInt8] {
        let blogs = try stored { () throws(StoreError) in try store.blogs() }
        var object = JSONObject()
        object.addRaw("blogs", JSONText.array(blogs.map(QueryJSON.blog)))
        return object.utf8
    }

    private func posts(_ query: [String: String]) throws(APIError) -> [UInt8] {
        let blog = query["blog"].flatMap { $0.isEmpty ? nil : $0 } ?? "default"
        let window = try QueryWindow(query: query, now: now(), defaultSpan: 7 * 86_400)
        var limit = 20
        if let text = query["limit"] {
            guard let value = Int(text), (1...10_000).contains(value) else {
                throw APIError(
                    400, "limit must be a number from 1 to 10000, not \"\(text.prefix(20))\"", field: "limit")
            }
            limit = value
        }
        let filter = query["q"].flatMap { $0.isEmpty ? nil : $0 }
        try requireBlog(blog)
        let posts = try stored { () throws(StoreError) in
            try store.topPosts(blog: blog, from: window.from, to: window.to, limit: limit, filter: filter)
        }
        var object = JSONObject()
        object.add("blog", blog)
        object.add("from", Timestamp.format(window.from))
        object.add("to", Timestamp.format(window.to))
        object.add("previous_from", Timestamp.format(window.from - (window.to - window.from)))
        object.addRaw("posts", JSONText.array(posts.map(QueryJSON.post)))
        return object.utf8
    }

    /// A misspelt blog is a 404, not an empty list that looks like a quiet blog.
    private func requireBlog(_ blog: String) throws(APIError) {
        let blogs = try stored { () throws(StoreError) in try store.blogs() }
        guard blogs.contains(where: { $0.name == blog }) else {
            throw APIError(404, "no blog named \"\(blog)\"", field: "blog")
        }
    }

    private func blogSeries(_ blog: String, _ query: [String: String]) throws(APIError) -> [UInt8] {
        let grid = try QueryWindow(query: query, now: now(), defaultSpan: 7 * 86_400).grid(utcOffset: utcOffset)
        guard let buckets = try stored({ () throws(StoreError) in try store.blogSeries(blog: blog, grid: grid) }) else {
            throw APIError(404, "no blog named \"\(blog)\"", field: "blog")
        }
        var object = JSONObject()
        object.add("blog", blog)
        QueryJSON.series(&object, grid: grid, buckets: buckets)
        return object.utf8
    }

    private func postSeries(_ blog: String, _ id: String, _ query: [String: String]) throws(APIError) -> [UInt8] {
        let grid = try QueryWindow(query: query, now: now(), defaultSpan: 7 * 86_400).grid(utcOffset: utcOffset)
        guard
            let series = try stored({ () throws(StoreError) in try store.postSeries(blog: blog, id: id, grid: grid) })
        else {
            try requireBlog(blog)
            throw APIError(404, "no post \"\(id)\" in blog \"\(blog)\"", field: "id")
        }
        var object = JSONObject()
        object.add("blog", blog)
        object.add("id", id)
        object.add("first_seen", Timestamp.format(series.firstSeen))
        QueryJSON.series(&object, grid: grid, buckets: series.buckets)
        object.addRaw("names", JSONText.array(series.names.map(QueryJSON.name)))
        object.addRaw("removed", JSONText.array(series.removed.map(QueryJSON.absence)))
        return object.utf8
    }
}
