import BlogStatsCore

/// One blog's newest state as the writer holds it in memory: what `/metrics` exposes for its
/// posts without reading their samples from disk.
///
/// A copy of the writer's state at one instant; arrays are shared until the writer next changes
/// them, so taking one costs nothing while ingestion goes on.
public struct LiveBlog: Sendable {
    public let name: String
    let state: BlogState

    init(name: String, state: BlogState) {
        self.name = name
        self.state = state
    }

    /// Capture time of the newest snapshot; nil before the first.
    public var latest: Int64? { state.latest }
    /// Posts ever seen in the blog, present or removed; indices run over `0..<postCount`.
    public var postCount: Int { state.posts.count }
    /// Posts present in the newest snapshot.
    public var presentCount: Int { state.presentCount }

    public func id(at index: Int) -> String { state.posts.ids[index] }
    /// The post's count in the newest snapshot, or nil when it was missing from it (removed).
    public func views(at index: Int) -> Int64? {
        let views = state.posts.values[index].views
        return views >= 0 ? views : nil
    }
    /// The store's key of the post (as in `CurrentNames`).
    public func postKey(at index: Int) -> Int64 { state.posts.values[index].key }

    /// The views of every post ever seen, a removed post with the last count it had: unlike the
    /// sum of present posts, this does not fall when a post is deleted (it falls only when a
    /// count goes down, a restored backup).
    public var viewsEverSeen: Int64 {
        state.posts.values.reduce(0) { $0 + max($1.lastKnown, 0) }
    }
}
