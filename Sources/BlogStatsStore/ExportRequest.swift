public import BlogStatsCore

/// What an export holds: the snapshots as pushed, the stored change-only samples, or series.
public enum ExportKind: String, Sendable, CaseIterable {
    /// One row per post present in each snapshot, full state: what was pushed, so it can be pushed again.
    case snapshots
    /// The stored rows: one per change of a post's count (empty views: the post went missing).
    case samples
    /// Buckets of a post's or a blog's series, as the series API computes them.
    case series

    /// The columns, in order: the CSV header and the JSON Lines keys.
    public var columns: [String] {
        switch self {
        case .snapshots: ["time", "blog", "id", "slug", "view_count", "title"]
        case .samples: ["time", "blog", "id", "views", "gained_total"]
        case .series: ["start", "blog", "id", "cumulative", "views", "gap_seconds", "reset"]
        }
    }
}

/// How rows are written: CSV (RFC 4180, with a header) or JSON Lines (one object a line).
public enum ExportFormat: String, Sendable, CaseIterable {
    case csv
    case json

    public var contentType: String {
        switch self {
        case .csv: "text/csv; charset=utf-8"
        case .json: "application/x-ndjson"
        }
    }

    public var fileExtension: String { self == .csv ? "csv" : "jsonl" }
}

/// One export: its kind, format and scope, read from query parameters (the API) or flags (the CLI).
public struct ExportRequest: Sendable, Equatable {
    public var kind: ExportKind = .snapshots
    public var format: ExportFormat = .csv
    /// nil: every blog.
    public var blog: String?
    /// One post's id; nil: every post (for series: the blog totals).
    public var post: String?
    /// The window [from, to); nil ends are open (samples and snapshots) or defaulted (series).
    public var from: Int64?
    public var to: Int64?
    /// Series only; nil: chosen from the window as the series API does.
    public var step: Int64?

    /// A series covers the week before `to` when `from` is not given, like the series API.
    public static let defaultSeriesSpan: Int64 = 7 * 86_400
    /// The most buckets a series export may ask for, as the series API allows.
    public static let maximumBuckets: Int64 = 10_000

    public init(
        kind: ExportKind = .snapshots, format: ExportFormat = .csv, blog: String? = nil, post: String? = nil,
        from: Int64? = nil, to: Int64? = nil, step: Int64? = nil
    ) {
        self.kind = kind
        self.format = format
        self.blog = blog
        self.post = post
        self.from = from
        self.to = to
        self.step = step
    }

    /// Reads `kind`, `format`, `blog`, `id`, `from`, `to` and `step` (empty values count as absent).
    /// Times are RFC 3339 or durations before `now` (`7d`); a series gets its window filled in.
    public init(query: [String: String], now: Int64) throws(ExportError) {
        func value(_ name: String) -> String? { query[name].flatMap { $0.isEmpty ? nil : $0 } }
        if let text = value("kind") {
            guard let kind = ExportKind(rawValue: text) else {
                throw ExportError(
                    .invalidRequest, "kind must be snapshots, samples or series, not \"\(text.prefix(40))\"",
                    field: "kind")
            }
            self.kind = kind
        }
        if let text = value("format") {
            guard let format = ExportFormat(rawValue: text) else {
                throw ExportError(
                    .invalidRequest, "format must be csv or json, not \"\(text.prefix(40))\"", field: "format")
            }
            self.format = format
        }
        blog = value("blog")
        post = value("id")
        from = try Self.time(value("from"), field: "from", now: now)
        to = try Self.time(value("to"), field: "to", now: now)
        if let text = value("step") {
            guard kind == .series else {
                throw ExportError(.invalidRequest, "step applies to kind=series only", field: "step")
            }
            guard let step = Timestamp.parseDuration(text), step >= 60 else {
                throw ExportError(
                    .invalidRequest,
                    "step must be a duration of at least 60s, such as 5m, 1h or 1d, not \"\(text.prefix(40))\"",
                    field: "step")
            }
            self.step = step
        }
        if kind == .series {
            let end = to ?? now
            from = from ?? end - Self.defaultSeriesSpan
            to = end
        }
        try validate()
    }

    /// Checks what a request built by hand can get wrong too: the window's order, a step
    /// outside a series, a series without its window or with too many buckets.
    public func validate() throws(ExportError) {
        if let from, let to, from >= to {
            throw ExportError(
                .invalidRequest, "from (\(Timestamp.format(from))) must be before to (\(Timestamp.format(to)))",
                field: "from")
        }
        guard kind == .series else {
            if step != nil { throw ExportError(.invalidRequest, "step applies to kind=series only", field: "step") }
            return
        }
        guard let from, let to else {
            throw ExportError(.invalidRequest, "a series export needs from and to", field: from == nil ? "from" : "to")
        }
        if let step {
            guard step >= 60 else {
                throw ExportError(.invalidRequest, "step must be at least 60s, not \(step)s", field: "step")
            }
            guard (to - from) / step <= Self.maximumBuckets else {
                throw ExportError(
                    .invalidRequest, "step \(step)s makes more than \(Self.maximumBuckets) buckets for this window",
                    field: "step")
            }
        }
    }

    /// The query parameters that ask a receiver for this export (the inverse of `init(query:now:)`).
    public var query: [String: String] {
        var query = ["kind": kind.rawValue, "format": format.rawValue]
        if let blog { query["blog"] = blog }
        if let post { query["id"] = post }
        if let from { query["from"] = Timestamp.format(from) }
        if let to { query["to"] = Timestamp.format(to) }
        if let step { query["step"] = "\(step)s" }
        return query
    }

    /// The buckets of a series export, whose window `init(query:now:)` has filled in.
    public func grid(utcOffset: (Int64) -> Int64) -> BucketGrid {
        let to = self.to ?? Self.defaultSeriesSpan
        let from = self.from ?? to - Self.defaultSeriesSpan
        return BucketGrid(
            from: from, to: to, step: step ?? BucketGrid.automaticStep(for: to - from), utcOffset: utcOffset)
    }

    static func time(_ text: String?, field: String, now: Int64) throws(ExportError) -> Int64? {
        guard let text else { return nil }
        if let time = Timestamp.parse(text) { return time }
        if let ago = Timestamp.parseDuration(text) { return now - ago }
        throw ExportError(
            .invalidRequest,
            "\(field) must be an RFC 3339 time or a duration such as 24h or 7d, not \"\(text.prefix(60))\"",
            field: field)
    }
}
