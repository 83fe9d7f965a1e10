import BlogStatsCore

extension SeriesChart {
    /// Views per interval: one bar per bucket with data. A bucket that follows a gap carries
    /// the gap's views; its bar spans the gap at the average height, so nothing spikes.
    public func bars() -> String {
        var out = ""
        out.reserveCapacity(600 + buckets.count * 170)
        let spans = buckets.indices.map(span)
        let largest = buckets.indices.map { height(of: $0, spans[$0]) }.max() ?? 0
        let scale = ValueScale(largest: Int64(largest.rounded(.up)))
        open("bars", &out)
        axes(scale, &out)
        bands(&out)
        // Bars narrower than a few pixels read better without spacing.
        let spacing = buckets.count <= 120 ? 0.14 : 0
        out += "<g class=\"bars\">"
        for index in buckets.indices {
            guard let views = buckets[index].views else { continue }
            let (start, stop) = spans[index]
            let left = x(start)
            let width = x(stop) - left
            let top = y(height(of: index, spans[index]), scale)
            var kind = "bar"
            if closesOutage(index) { kind += " catchup" }
            if stop > now { kind += " partial" }
            out += "<rect class=\"\(kind)\" x=\"\(SVGNumber.percent(left + width * spacing / 2))\""
            out += " y=\"\(SVGNumber.text(top))\" width=\"\(SVGNumber.percent(width * (1 - spacing)))\""
            out += " height=\"\(SVGNumber.text(Self.bottom - top))\"><title>"
            out += HTML.escape(barTitle(index, views, start: start, stop: stop)) + "</title></rect>"
        }
        out += "</g>"
        resets(&out)
        crosshair(&out)
        out += "</svg>"
        return out
    }

    /// Where bucket `index`'s bar stands: its own interval, widened back over a gap it closes.
    func span(_ index: Int) -> (Int64, Int64) {
        let start = grid.starts[index]
        guard let gap = buckets[index].gapSeconds, gap > 0 else { return (start, end(index)) }
        return (max(start - gap, from), end(index))
    }

    /// The bar's height in views per step: a widened bar shows the average over its span.
    func height(of index: Int, _ span: (Int64, Int64)) -> Double {
        guard let views = buckets[index].views else { return 0 }
        let length = span.1 - span.0
        let own = end(index) - grid.starts[index]
        guard length > own, own > 0 else { return Double(views) }
        return Double(views) * Double(own) / Double(length)
    }

    func barTitle(_ index: Int, _ views: Int64, start: Int64, stop: Int64) -> String {
        let count = "\(TopTable.number(views)) view\(views == 1 ? "" : "s")"
        var title: String
        if closesOutage(index) {
            let average = Int64(height(of: index, (start, stop)).rounded())
            title =
                "\(clock.dateTime(start)) – \(clock.dateTime(stop)): \(count) while no snapshots arrived"
                + " (drawn as \(TopTable.number(average)) \(StepText.per(grid.step)))"
        } else if buckets[index].gapSeconds != nil {
            title = "\(clock.dateTime(start)) – \(clock.dateTime(stop)): \(count) between two snapshots"
        } else {
            title = "\(clock.interval(start, stop, step: grid.step)): \(count)"
            if stop > now { title += " so far" }
        }
        if buckets[index].reset { title += "; the counter went down (reset)" }
        return title
    }
}
