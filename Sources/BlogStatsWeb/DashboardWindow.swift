import BlogStatsCore

/// The window a page shows and how the URL names it: a preset (`from=7d`), a custom range
/// (`from=2026-11-01T00:00&to=…`, local times) and the step (`step=1h`, or automatic).
public struct DashboardWindow: Sendable, Equatable {
    /// The presets offered, by URL value and label.
    public static let presets: [(value: String, label: String, title: String)] = [
        ("1h", "1 h", "last hour"), ("24h", "24 h", "last 24 hours"), ("7d", "7 d", "last 7 days"),
        ("30d", "30 d", "last 30 days"), ("90d", "90 d", "last 90 days"), ("1y", "1 y", "last year"),
        ("all", "All", "all time"),
    ]
    /// The default when the URL names no window.
    public static let defaultPreset = "7d"
    /// More buckets than this would make pages heavy without showing more.
    public static let maximumBuckets: Int64 = 1500

    public var from: Int64
    public var to: Int64
    /// The URL's `from` and `to` as given (nil: not given), so a shared link keeps its meaning.
    public var fromText: String?
    public var toText: String?
    /// The step the URL asks for; nil: chosen from the window.
    public var requestedStep: Int64?
    /// The usual time between snapshots: an automatic step is never finer (an hourly cron
    /// seen at 5 minutes would be mostly empty intervals).
    public var snapshotInterval: Int64?

    public init(from: Int64, to: Int64, fromText: String?, toText: String?, requestedStep: Int64?) {
        self.from = from
        self.to = to
        self.fromText = fromText
        self.toText = toText
        self.requestedStep = requestedStep
    }

    /// The preset this window is, if any.
    public var preset: String? {
        guard toText == nil else { return nil }
        let value = fromText ?? Self.defaultPreset
        return Self.presets.contains { $0.value == value } ? value : nil
    }

    /// True when the window ends now (the page may refresh itself).
    public var endsNow: Bool { toText == nil }

    public var automaticStep: Int64 {
        let step = BucketGrid.automaticStep(for: to - from)
        // A little slack: snapshots every 61 s still suit a one-minute step.
        guard let interval = snapshotInterval, let coarse = BucketGrid.steps.first(where: { $0 * 10 >= interval * 9 })
        else { return step }
        return max(step, coarse)
    }
    public var step: Int64 { requestedStep ?? automaticStep }

    /// Steps worth offering for this window: at least two buckets, at most `maximumBuckets`.
    public var steps: [Int64] {
        BucketGrid.steps.filter { (to - from) / $0 >= 2 && (to - from) / $0 <= Self.maximumBuckets }
    }

    /// `last 7 days`, `all time`, or the custom range in local time.
    public func title(clock: LocalClock) -> String {
        if let preset, let entry = Self.presets.first(where: { $0.value == preset }) { return entry.title }
        if toText == nil, let fromText, Timestamp.parseDuration(fromText) != nil { return "last \(fromText)" }
        return "\(clock.dateTime(from)) – \(clock.dateTime(to))"
    }

    /// The URL parameters naming the window, with the step unless `includeStep` is false.
    public func parameters(includeStep: Bool = true) -> [(String, String)] {
        var parameters: [(String, String)] = []
        if let fromText { parameters.append(("from", fromText)) }
        if let toText { parameters.append(("to", toText)) }
        if includeStep, let requestedStep { parameters.append(("step", StepText.parameter(requestedStep))) }
        return parameters
    }

    public static func == (a: DashboardWindow, b: DashboardWindow) -> Bool {
        a.from == b.from && a.to == b.to && a.fromText == b.fromText && a.toText == b.toText
            && a.requestedStep == b.requestedStep && a.snapshotInterval == b.snapshotInterval
    }
}
