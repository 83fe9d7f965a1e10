import BlogStatsCore

/// `kind=series` for one blog: a post's buckets (`id` given) or the blog's totals, computed by
/// the same code as the series API. A series has at most `ExportRequest.maximumBuckets`
/// buckets, so holding one in memory is bounded.
final class ExportSeriesRows: ExportProducer {
    private let engine: QueryEngine
    private let format: ExportRowFormat
    private let blog: String
    private let post: String?
    private let grid: BucketGrid
    private var buckets: [SeriesBucket]? = nil
    private var next = 0
    /// `,blog,id,` or `,"blog":…,"id":…,"cumulative":`: the same for every bucket.
    private var middle: [UInt8] = []

    init(engine: QueryEngine, blog: String, request: ExportRequest, grid: BucketGrid, format: ExportRowFormat) {
        self.engine = engine
        self.format = format
        self.blog = blog
        post = request.post
        self.grid = grid
    }

    func fill(_ output: inout ExportOutput) throws -> Bool {
        if buckets == nil {
            if let post {
                // A blog without this post has no rows (the export checked that some blog has it).
                buckets = try engine.postSeries(blog: blog, id: post, grid: grid)?.buckets ?? []
            } else {
                buckets = try engine.blogSeries(blog: blog, grid: grid) ?? []
            }
            format.column(1, &middle)
            format.text(blog, &middle)
            format.column(2, &middle)
            if let post { format.text(post, &middle) } else { format.null(&middle) }
            format.column(3, &middle)
        }
        let buckets = self.buckets ?? []
        while next < buckets.count && !output.isFull {
            let bucket = buckets[next]
            next += 1
            format.column(0, &output.bytes)
            format.time(bucket.start, &output.bytes)
            output.bytes.append(contentsOf: middle)
            format.optionalInteger(bucket.cumulative, &output.bytes)
            format.column(4, &output.bytes)
            format.optionalInteger(bucket.views, &output.bytes)
            format.column(5, &output.bytes)
            format.optionalInteger(bucket.gapSeconds, &output.bytes)
            format.column(6, &output.bytes)
            format.bool(bucket.reset, &output.bytes)
            format.end(&output.bytes)
            output.rows += 1
        }
        return next < buckets.count
    }
}
