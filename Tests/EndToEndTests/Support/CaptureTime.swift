import Foundation

/// Capture times as the receiver sees them: whole seconds since the epoch, RFC 3339 on the wire.
enum CaptureTime {
    static func now() -> Int64 { Int64(Date().timeIntervalSince1970) }

    /// `2026-12-03T16:53:54Z`.
    static func format(_ seconds: Int64) -> String {
        Date(timeIntervalSince1970: TimeInterval(seconds)).formatted(.iso8601)
    }

    static func parse(_ text: String) -> Int64? {
        (try? Date.ISO8601FormatStyle().parse(text)).map { Int64($0.timeIntervalSince1970) }
    }

    /// The `X-Blogstats-Captured-At` header line for `seconds`.
    static func header(_ seconds: Int64) -> String { "X-Blogstats-Captured-At: \(format(seconds))" }

    /// Waits until the wall clock is past `seconds`, so a push without a capture time gets a
    /// later time than the one before (two pushes in one second replace each other).
    static func waitUntilAfter(_ seconds: Int64) async throws {
        while now() <= seconds {
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}
