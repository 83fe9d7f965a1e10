import BlogStatsCore

/// The window and step of a query: `from`/`to` as RFC 3339 or relative (`7d` = seven days
/// before now), `step` as a duration or chosen from the window.
struct QueryWindow {
    var from: Int64
    var to: Int64
    var step: Int64?

    /// - Parameter defaultSpan: the window when `from` is not given.
    init(query: [String: String], now: Int64, defaultSpan: Int64) throws(APIError) {
        to = try Self.time(query["to"], field: "to", now: now) ?? now
        from = try Self.time(query["from"], field: "from", now: now) ?? (to - defaultSpan)
        guard from < to else {
            throw APIError(
                400, "from (\(Timestamp.format(from))) must be before to (\(Timestamp.format(to)))", field: "from")
        }
        if let text = query["step"], !text.isEmpty {
            guard let step = Timestamp.parseDuration(text), step >= 60 else {
                throw APIError(
                    400, "step must be a duration of at least 60s, such as 5m, 1h or 1d, not \"\(text)\"", field: "step"
                )
            }
            guard (to - from) / step <= 10_000 else {
                throw APIError(400, "step \(text) makes more than 10,000 buckets for this window", field: "step")
            }
            self.step = step
        } else if (to - from) / BucketGrid.steps.last! > 10_000 {
            throw APIError(
                400, "the window from \(Timestamp.format(from)) is too long: at most 10,000 weeks", field: "from")
        }
    }

    static func time(_ text: String?, field: String, now: Int64) throws(APIError) -> Int64? {
        guard let text, !text.isEmpty else { return nil }
        if let time = Timestamp.parse(text) { return time }
        if let ago = Timestamp.parseDuration(text) { return now - ago }
        throw APIError(
            400, "\(field) must be an RFC 3339 time or a duration such as 24h or 7d, not \"\(text.prefix(60))\"",
            field: field)
    }

    func grid(utcOffset: (Int64) -> Int64) -> BucketGrid {
        BucketGrid(from: from, to: to, step: step ?? BucketGrid.automaticStep(for: to - from), utcOffset: utcOffset)
    }
}
