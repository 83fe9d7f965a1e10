import BlogStatsCore

/// A spooled snapshot's file name: capture time and blog, `20261203T162000Z.notes.csv.gz`, or
/// `20261203T162000Z.csv.gz` when the receiver chooses the blog. Names sort oldest first.
public struct SpoolEntry: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var capturedAt: Int64
    public var blog: String?

    public static let suffix = ".csv.gz"

    public init(capturedAt: Int64, blog: String?) {
        self.capturedAt = capturedAt
        self.blog = blog
    }

    /// Parses a name this type made; nil for anything else (temporary files, notes, strays).
    public init?(fileName: String) {
        guard fileName.hasSuffix(Self.suffix) else { return nil }
        let stem = fileName.dropLast(Self.suffix.count)
        let time = stem.prefix(16)
        guard time.count == 16, let capturedAt = Self.parseTime(time) else { return nil }
        let rest = stem.dropFirst(16)
        if rest.isEmpty {
            blog = nil
        } else {
            guard rest.first == ".", rest.count > 1 else { return nil }
            blog = String(rest.dropFirst())
        }
        self.capturedAt = capturedAt
    }

    public var fileName: String {
        Self.compactTime(capturedAt) + (blog.map { "." + $0 } ?? "") + Self.suffix
    }

    /// `notes 2026-12-03T16:20:00Z`, for messages.
    public var description: String { "\(blog ?? "(default blog)") \(Timestamp.format(capturedAt))" }

    public static func < (left: SpoolEntry, right: SpoolEntry) -> Bool {
        (left.capturedAt, left.blog ?? "") < (right.capturedAt, right.blog ?? "")
    }

    /// `2026-12-03T16:20:00Z` → `20261203T162000Z` (no colons: friendly to scp and other systems).
    static func compactTime(_ seconds: Int64) -> String {
        String(Timestamp.format(seconds).filter { $0 != "-" && $0 != ":" })
    }

    static func parseTime(_ compact: Substring) -> Int64? {
        let c = Array(compact)
        guard c.count == 16, c[8] == "T", c[15] == "Z" else { return nil }
        let text =
            "\(String(c[0..<4]))-\(String(c[4..<6]))-\(String(c[6..<8]))T\(String(c[9..<11])):\(String(c[11..<13])):\(String(c[13..<15]))Z"
        return Timestamp.parse(text)
    }
}
