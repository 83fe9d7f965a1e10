public import BlogStatsCore
public import BlogStatsStore

/// One series drawn as an inline SVG chart: views per interval as bars, or the cumulative
/// count as a line. Horizontal positions are percentages and vertical ones pixels, so the
/// chart fills any width while its text keeps its size (phone to desktop, no script).
public struct SeriesChart: Sendable {
    public var grid: BucketGrid
    public var buckets: [SeriesBucket]
    public var now: Int64
    public var clock: LocalClock
    /// Periods the post was missing from the blog (post charts only).
    public var removed: [PostSeries.Absence]
    /// What the chart shows, for assistive technology (the data table has the numbers).
    public var label: String
    /// Runs without a snapshot no longer than this are the data's own spacing (an hourly cron
    /// seen at a 5-minute step), not an outage: they are bridged instead of shaded.
    public var quietGap: Int64

    public init(
        grid: BucketGrid, buckets: [SeriesBucket], now: Int64, clock: LocalClock,
        removed: [PostSeries.Absence] = [], label: String, quietGap: Int64 = 0
    ) {
        precondition(buckets.count == grid.count)
        self.grid = grid
        self.buckets = buckets
        self.now = now
        self.clock = clock
        self.removed = removed
        self.label = label
        self.quietGap = quietGap
    }

    static let top = 22.0
    static let plotHeight = 180.0
    static let height = 228.0
    static var bottom: Double { top + plotHeight }

    var from: Int64 { grid.starts.first ?? grid.end }

    /// A time as a percentage of the width.
    func x(_ time: Int64) -> Double {
        let span = Double(max(grid.end - from, 1))
        return min(max(Double(time - from) / span * 100, 0), 100)
    }

    /// A value's vertical position in pixels.
    func y(_ value: Double, _ scale: ValueScale) -> Double {
        Self.bottom - scale.fraction(value) * Self.plotHeight
    }

    func end(_ index: Int) -> Int64 { grid.bucketEnd(index) }

    /// True when the bucket closes a run without snapshots long enough to be an outage.
    func closesOutage(_ index: Int) -> Bool {
        guard let gap = buckets[index].gapSeconds else { return false }
        return gap > quietGap
    }

    /// The opening tag, shared by both kinds.
    func open(_ kind: String, _ out: inout String) {
        out += "<svg class=\"chart-svg \(kind)\" width=\"100%\" height=\"\(Int(Self.height))\" role=\"img\""
        out += " aria-label=\"\(HTML.escape(label))\" data-from=\"\(from)\" data-to=\"\(grid.end)\">"
    }

    /// Grid lines, the y labels (left of the plot) and the time axis.
    func axes(_ scale: ValueScale, _ out: inout String) {
        out += "<g class=\"grid\">"
        for tick in scale.ticks.dropFirst() {
            let y = SVGNumber.text(y(Double(tick), scale))
            out += "<line x1=\"0\" x2=\"100%\" y1=\"\(y)\" y2=\"\(y)\"/>"
        }
        out += "</g><g class=\"axis y-axis\">"
        for tick in scale.ticks {
            let y = SVGNumber.text(y(Double(tick), scale) + 4)
            out += "<text x=\"-8\" y=\"\(y)\" text-anchor=\"end\">\(TopTable.number(tick))</text>"
        }
        let bottom = SVGNumber.text(Self.bottom)
        out += "</g><g class=\"axis x-axis\"><line class=\"baseline\" x1=\"0\" x2=\"100%\" y1=\"\(bottom)\""
        out += " y2=\"\(bottom)\"/>"
        let ticks = TimeTicks(from: from, to: grid.end, clock: clock).ticks
        for (index, tick) in ticks.enumerated() {
            let x = SVGNumber.percent(x(tick.time))
            out +=
                "<line class=\"tick\" x1=\"\(x)\" x2=\"\(x)\" y1=\"\(bottom)\" y2=\"\(SVGNumber.text(Self.bottom + 5))\"/>"
            out += "<text x=\"\(x)\" y=\"\(SVGNumber.text(Self.bottom + 19))\" text-anchor=\"middle\""
            // Every other label gives way on a narrow chart (see the stylesheet); major ones stay.
            out += tick.major ? " class=\"major\">" : ticks.count > 5 && index % 2 == 1 ? " class=\"alt\">" : ">"
            out += HTML.escape(tick.label) + "</text>"
        }
        out += "</g>"
    }

    /// Runs of buckets without a snapshot that are outages (longer than `quietGap`), as time
    /// intervals; a run still open at the end stops at now.
    var outages: [(start: Int64, stop: Int64)] {
        var runs: [(start: Int64, stop: Int64)] = []
        var index = 0
        while index < buckets.count {
            guard buckets[index].views == nil else {
                index += 1
                continue
            }
            let first = index
            while index < buckets.count && buckets[index].views == nil { index += 1 }
            let start = grid.starts[first]
            let stop = min(end(index - 1), max(now, start + 1))
            if stop - start > quietGap { runs.append((start, stop)) }
        }
        return runs
    }

    /// Shaded bands where nothing is known (an outage) or the post was off the blog.
    func bands(_ out: inout String) {
        out += "<g class=\"bands\">"
        for (start, stop) in outages {
            band(
                "gap", start, stop, "No snapshots from \(clock.dateTime(start)) to \(clock.dateTime(stop))",
                caption: "no data", &out)
        }
        for absence in removed {
            let start = max(absence.from, from)
            let stop = min(absence.to ?? max(now, start), grid.end)
            guard stop > start else { continue }
            let until = absence.to.map { "until \(clock.dateTime($0))" } ?? "still missing"
            band(
                "removed", start, stop, "Not on the blog from \(clock.dateTime(absence.from)), \(until)",
                caption: "removed", &out)
        }
        out += "</g>"
    }

    private func band(
        _ kind: String, _ start: Int64, _ stop: Int64, _ title: String, caption: String, _ out: inout String
    ) {
        let left = x(start)
        let width = max(x(stop) - left, 0.2)
        out += "<rect class=\"\(kind)\" x=\"\(SVGNumber.percent(left))\" y=\"\(SVGNumber.text(Self.top))\""
        out += " width=\"\(SVGNumber.percent(width))\" height=\"\(SVGNumber.text(Self.plotHeight))\">"
        out += "<title>\(HTML.escape(title))</title></rect>"
        if width >= 8 {
            out += "<text class=\"band-label\" x=\"\(SVGNumber.percent(left + width / 2))\""
            out += " y=\"\(SVGNumber.text(Self.top + 16))\" text-anchor=\"middle\">\(caption)</text>"
        }
    }

    func resets(_ out: inout String) {
        out += "<g class=\"resets\">"
        for (index, bucket) in buckets.enumerated() where bucket.reset {
            let x = SVGNumber.percent(x(grid.starts[index]))
            let title =
                "The counter went down during \(clock.interval(grid.starts[index], end(index), step: grid.step))"
                + " (a restored backup?): views count again from the lower number"
            out += "<line class=\"reset\" x1=\"\(x)\" x2=\"\(x)\" y1=\"\(SVGNumber.text(Self.top - 4))\""
            out += " y2=\"\(SVGNumber.text(Self.bottom))\"><title>\(HTML.escape(title))</title></line>"
            out +=
                "<text class=\"reset-label\" x=\"\(x)\" y=\"\(SVGNumber.text(Self.top - 8))\" text-anchor=\"middle\">"
            out += "reset<title>\(HTML.escape(title))</title></text>"
        }
        out += "</g>"
    }

    /// The vertical line the optional script moves with the pointer.
    func crosshair(_ out: inout String) {
        out += "<line class=\"crosshair\" x1=\"0\" x2=\"0\" y1=\"\(SVGNumber.text(Self.top))\""
        out += " y2=\"\(SVGNumber.text(Self.bottom))\"/>"
    }
}
