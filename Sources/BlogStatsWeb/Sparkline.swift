import BlogStatsCore

/// A row-sized bar chart of views per interval, for the top-posts table.
public struct Sparkline: Sendable {
    /// Views per interval; nil where there is no data (drawn as nothing).
    public var values: [Int64?]
    /// What the numbers are of, e.g. the post's title (escaped here).
    public var subject: String

    public init(values: [Int64?], subject: String) {
        self.values = values
        self.subject = subject
    }

    public func svg() -> String {
        let largest = values.compactMap { $0 }.max() ?? 0
        let width = max(values.count, 1) * 4
        var out = "<svg class=\"spark\" viewBox=\"0 0 \(width) 24\" preserveAspectRatio=\"none\" role=\"img\""
        let text = HTML.escape("Views per interval of “\(subject)” (highest: \(TopTable.number(largest)))")
        out += " aria-label=\"\(text)\"><title>\(text)</title>"
        out += "<line class=\"spark-base\" x1=\"0\" x2=\"\(width)\" y1=\"23.5\" y2=\"23.5\"/>"
        for (index, value) in values.enumerated() {
            guard let value, value > 0, largest > 0 else { continue }
            let height = max(Double(value) / Double(largest) * 22, 1.5)
            out += "<rect x=\"\(index * 4)\" y=\"\(SVGNumber.text(24 - height))\" width=\"3\""
            out += " height=\"\(SVGNumber.text(height))\"/>"
        }
        out += "</svg>"
        return out
    }
}
