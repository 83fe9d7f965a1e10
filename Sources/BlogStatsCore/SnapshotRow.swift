/// One post's counter as read from a snapshot body.
public struct SnapshotRow: Sendable, Equatable {
    public var id: String
    public var slug: String
    public var title: String
    public var views: Int64
    /// The `blog` column's value, empty when the body has no such column or the cell is empty.
    public var blog: String
    /// The line the record starts on, for error messages.
    public var line: Int

    public init(id: String, slug: String, title: String, views: Int64, blog: String = "", line: Int = 0) {
        self.id = id
        self.slug = slug
        self.title = title
        self.views = views
        self.blog = blog
        self.line = line
    }
}
