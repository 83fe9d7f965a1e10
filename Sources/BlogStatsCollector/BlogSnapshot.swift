/// One blog's snapshot as the collector delivers it: the gzip-compressed wire body.
///
/// The body is kept compressed (about a fifth of the CSV) rather than as rows, so a
/// 100,000-post snapshot costs about 2 MB, not a `String` per cell.
public struct BlogSnapshot: Sendable, Equatable {
    /// The blog (`?blog=NAME`); nil leaves the choice to the receiver (its default blog, or
    /// the blog the push token belongs to).
    public var blog: String?
    /// Seconds since the epoch, UTC: when the source was read.
    public var capturedAt: Int64
    /// gzip (one or more members) of `id,slug,view_count,title` CSV with a header row.
    public var gzip: [UInt8]
    /// The size of the CSV before compression.
    public var csvBytes: Int
    public var rows: Int

    public init(blog: String?, capturedAt: Int64, gzip: [UInt8], csvBytes: Int, rows: Int) {
        self.blog = blog
        self.capturedAt = capturedAt
        self.gzip = gzip
        self.csvBytes = csvBytes
        self.rows = rows
    }

    /// `notes`, or a phrase when the receiver chooses the blog; for messages.
    public var blogLabel: String { blog ?? "(receiver's default blog)" }
}
