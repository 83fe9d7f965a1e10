/// The terminal view of `blogstats top`: a totals line and one row per post, within 80 columns.
public struct TopTable: Sendable {
    public struct Row: Sendable {
        public var label: String
        public var views: Int64
        public var previousViews: Int64
        public var total: Int64?
        /// Views per interval across the window, for the sparkline (nil: no data).
        public var trend: [Int64?]

        public init(label: String, views: Int64, previousViews: Int64, total: Int64?, trend: [Int64?]) {
            self.label = label
            self.views = views
            self.previousViews = previousViews
            self.total = total
            self.trend = trend
        }
    }

    public var title: String
    public var views: Int64
    public var previousViews: Int64
    public var trend: [Int64?]
    public var rows: [Row]

    public init(title: String, views: Int64, previousViews: Int64, trend: [Int64?], rows: [Row]) {
        self.title = title
        self.views = views
        self.previousViews = previousViews
        self.trend = trend
        self.rows = rows
    }

    /// The table as lines of at most `width` columns (each character counted as one column).
    public func render(width: Int = 80) -> String {
        var lines: [String] = []
        lines.append(Self.fit(title, width))
        lines.append(
            Self.fit(
                "all posts  \(Self.number(views)) views  \(Self.change(views, previousViews)) vs previous  "
                    + Self.sparkline(trend), width))
        lines.append("")
        lines.append(Self.fit("  #     views  change      total  trend                 post", width))
        let sparkWidth = 20
        for (index, row) in rows.enumerated() {
            let spark = Self.sparkline(row.trend)
            let padded = spark + String(repeating: " ", count: max(0, sparkWidth - spark.count))
            let total = row.total.map(Self.number) ?? "removed"
            let line =
                Self.left(String(index + 1), 3) + " " + Self.left(Self.number(row.views), 9) + " "
                + Self.left(Self.change(row.views, row.previousViews), 7) + " " + Self.left(total, 10) + "  "
                + padded + "  " + row.label
            lines.append(Self.fit(line, width))
        }
        if rows.isEmpty { lines.append("  (no posts in this window)") }
        return lines.joined(separator: "\n") + "\n"
    }

    static let blocks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// One block per value, scaled to the largest; a gap is a space.
    public static func sparkline(_ values: [Int64?]) -> String {
        let largest = values.compactMap { $0 }.max() ?? 0
        return String(
            values.map { value -> Character in
                guard let value else { return " " }
                guard largest > 0 else { return blocks[0] }
                return blocks[Int((value * Int64(blocks.count - 1) + largest / 2) / largest)]
            })
    }

    /// `1,234,567`
    public static func number(_ value: Int64) -> String {
        let digits = String(value.magnitude)
        var grouped = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { grouped.append(",") }
            grouped.append(digit)
        }
        return (value < 0 ? "-" : "") + grouped
    }

    /// `▲ 12%`, `▼ 3%`, `new` (nothing before), `=` (no change).
    public static func change(_ now: Int64, _ before: Int64) -> String {
        if before == 0 { return now == 0 ? "=" : "new" }
        let percent = (now - before) * 100 / before
        if percent == 0 { return "=" }
        return (percent > 0 ? "▲ " : "▼ ") + "\(percent.magnitude)%"
    }

    static func left(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }

    static func fit(_ line: String, _ width: Int) -> String {
        // Titles are user-written: no control characters may reach the terminal.
        let clean = String(
            line.map { character -> Character in
                let unsafe = character.unicodeScalars.contains {
                    $0.properties.generalCategory == .control || $0.properties.generalCategory == .format
                }
                return unsafe ? " " : character
            })
        return clean.count <= width ? clean : String(clean.prefix(width - 1)) + "…"
    }
}
