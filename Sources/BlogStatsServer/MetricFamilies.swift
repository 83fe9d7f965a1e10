import BlogStatsCore

/// The families `/metrics` exposes, in the order it writes them (docs/metrics.md describes each).
enum MetricFamilies {
    static let snapshotsReceived = MetricFamily(
        "blogstats_snapshots_received", .counter,
        help: "Push requests received (POST /stats, /api/v1/snapshots), stored or refused.")
    static let snapshotsRejected = MetricFamily(
        "blogstats_snapshots_rejected", .counter, help: "Push requests refused, by reason.")
    static let ingestRows = MetricFamily(
        "blogstats_ingest_rows", .counter, help: "Rows of stored snapshots (a replayed duplicate adds none).")
    static let ingestDuration = MetricFamily(
        "blogstats_ingest_duration_seconds", .histogram,
        help: "Time to check, parse and store a snapshot, for stored snapshots.", unit: "seconds")
    static let storeSize = MetricFamily(
        "blogstats_store_size_bytes", .gauge, help: "Size of the store on disk: database file and write-ahead log.",
        unit: "bytes")
    /// Only when the receiver mirrors to InfluxDB.
    static let outboxPoints = MetricFamily(
        "blogstats_outbox_points", .gauge, help: "Points waiting in the outbox for InfluxDB.")

    static let blogViews = MetricFamily(
        "blogstats_blog_views", .counter,
        help: "Views of the blog's posts: present posts with their count, removed ones with their last count.")
    static let blogPosts = MetricFamily(
        "blogstats_blog_posts", .gauge, help: "Posts present in the blog's newest snapshot.")
    static let blogLastSnapshot = MetricFamily(
        "blogstats_blog_last_snapshot_timestamp_seconds", .gauge,
        help: "Capture time of the blog's newest snapshot, in seconds since the epoch.", unit: "seconds")

    static let postInfo = MetricFamily(
        "blogstats_post", .info, help: "Each present post's current slug and title (value 1).")
    static let postViews = MetricFamily(
        "blogstats_post_views", .counter, help: "Each present post's view count in its blog's newest snapshot.")
}
