import Foundation

/// A small history with every case the read API has to get right, pushed through the real
/// receiver at explicit capture times (minutes after `base`, a whole hour):
///
/// | minute | a | b | c | d |
/// |---|---|---|---|---|
/// | 0  | 100 (baseline) | 50 (baseline) | – | – |
/// | 10 | 110 | 50 | – | 7 (new: counts from 0) |
/// | 20 | 115 | 53 | 4 (new; hostile title) | removed, never back |
/// | 30–60 | gap: no snapshot | | | |
/// | 70 | 130 | removed | 9 | |
/// | 80 | 30 (reset) | 60 (back, slug beta-2) | 9 | |
/// | 90 | 45 | 61 | 9 | |
enum ReadHistory {
    /// Quotes, a comma, a backslash, markup, a line end, a control character, non-ASCII.
    static let hostileTitle = "<script>alert(\"views\")</script>, \\ é 🎉\n\u{1}'&amp;"

    static let snapshots: [(minute: Int64, body: CSVBody)] = [
        (0, CSVBody([("a", "alpha", 100, "Alpha"), ("b", "beta", 50, "Beta")])),
        (10, CSVBody([("a", "alpha", 110, "Alpha"), ("b", "beta", 50, "Beta"), ("d", "delta", 7, "Delta")])),
        (20, CSVBody([("a", "alpha", 115, "Alpha"), ("b", "beta", 53, "Beta"), ("c", "gamma", 4, hostileTitle)])),
        (70, CSVBody([("a", "alpha", 130, "Alpha"), ("c", "gamma", 9, hostileTitle)])),
        (80, CSVBody([("a", "alpha", 30, "Alpha"), ("b", "beta-2", 60, "Beta"), ("c", "gamma", 9, hostileTitle)])),
        (90, CSVBody([("a", "alpha", 45, "Alpha"), ("b", "beta-2", 61, "Beta"), ("c", "gamma", 9, hostileTitle)])),
    ]

    /// A whole hour five hours ago: recent enough for the receiver's 90-day limit, and the whole
    /// history (100 minutes) is in the past.
    static func base() -> Int64 {
        let now = CaptureTime.now()
        return now - now % 3600 - 5 * 3600
    }

    /// `base + minutes` as RFC 3339.
    static func time(_ base: Int64, _ minutes: Int64) -> String { CaptureTime.format(base + minutes * 60) }

    /// Pushes every snapshot in order; returns the answers.
    static func push(
        to receiver: ReceiverProcess, base: Int64, path: String = "/stats", headers: [String] = []
    ) async throws -> [HTTPAnswer] {
        var answers: [HTTPAnswer] = []
        for (minute, body) in snapshots {
            let answer = try await Curl.push(
                receiver.url(path), body.text, headers: headers + [CaptureTime.header(base + minute * 60)])
            guard answer.status == 200 else { throw TestFailure("pushing minute \(minute): \(answer.summary)") }
            answers.append(answer)
        }
        return answers
    }
}
