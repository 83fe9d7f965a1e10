public import BlogStatsCore

/// Read access to stored series: what the JSON API, the dashboard and the CLI ask.
public protocol StoreQueries: Sendable {
    func blogs() throws(StoreError) -> [BlogSummary]
    /// Posts ranked by views gained in [from, to), with the previous window of equal length.
    func topPosts(blog: String, from: Int64, to: Int64, limit: Int, filter: String?) throws(StoreError) -> [TopPost]
    /// nil when the blog is unknown.
    func blogSeries(blog: String, grid: BucketGrid) throws(StoreError) -> [SeriesBucket]?
    /// nil when the blog or the post is unknown.
    func postSeries(blog: String, id: String, grid: BucketGrid) throws(StoreError) -> PostSeries?
}

/// A blog as the overview lists it.
public struct BlogSummary: Sendable, Equatable {
    public var name: String
    /// Posts present in the newest snapshot.
    public var posts: Int
    public var totalViews: Int64
    public var lastSnapshot: Int64?

    public init(name: String, posts: Int, totalViews: Int64, lastSnapshot: Int64?) {
        self.name = name
        self.posts = posts
        self.totalViews = totalViews
        self.lastSnapshot = lastSnapshot
    }
}

/// One row of the top-posts list.
public struct TopPost: Sendable, Equatable {
    public var id: String
    public var slug: String
    public var title: String
    /// Views gained in the window and in the window before it.
    public var views: Int64
    public var previousViews: Int64
    /// The count at the window's end; nil when the post was absent then.
    public var total: Int64?
    public var firstSeen: Int64
    public var removed: Bool { total == nil }

    public init(
        id: String, slug: String, title: String, views: Int64, previousViews: Int64, total: Int64?, firstSeen: Int64
    ) {
        self.id = id
        self.slug = slug
        self.title = title
        self.views = views
        self.previousViews = previousViews
        self.total = total
        self.firstSeen = firstSeen
    }
}

/// A post's series with its name history and the times it was missing.
public struct PostSeries: Sendable, Equatable {
    public struct Name: Sendable, Equatable {
        public var since: Int64
        public var slug: String
        public var title: String
    }

    public struct Absence: Sendable, Equatable {
        public var from: Int64
        /// nil while the post is still missing.
        public var to: Int64?
    }

    public var id: String
    public var firstSeen: Int64
    public var buckets: [SeriesBucket]
    public var names: [Name]
    public var removed: [Absence]

    public init(id: String, firstSeen: Int64, buckets: [SeriesBucket], names: [Name], removed: [Absence]) {
        self.id = id
        self.firstSeen = firstSeen
        self.buckets = buckets
        self.names = names
        self.removed = removed
    }
}
