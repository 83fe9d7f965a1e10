import BlogStatsCore

extension SeriesChart {
    /// The cumulative count as a line over a shaded area, broken wherever the count is
    /// unknown (a gap) or the post was absent, with a point (and tooltip) per bucket.
    public func line() -> String {
        // A bucket's count is the one at its last snapshot: draw it at the bucket's end
        // (or now, for the interval still running).
        var points: [(index: Int, time: Int64, value: Int64)] = []
        points.reserveCapacity(buckets.count)
        for (index, bucket) in buckets.enumerated() {
            guard let value = bucket.cumulative else { continue }
            points.append((index, min(end(index), max(now, grid.starts[index])), value))
        }
        let scale = ValueScale(largest: points.map(\.value).max() ?? 0)
        var out = ""
        out.reserveCapacity(800 + points.count * 190)
        open("line", &out)
        axes(scale, &out)
        bands(&out)

        // Segments: runs of buckets with a count, across short quiet runs (not outages).
        var segments: [[(index: Int, time: Int64, value: Int64)]] = []
        for point in points {
            if let last = segments.last?.last,
                last.index == point.index - 1
                    || (buckets[(last.index + 1)..<point.index].allSatisfy { $0.views == nil }
                        && grid.starts[point.index] - end(last.index) <= quietGap)
            {
                segments[segments.count - 1].append(point)
            } else {
                segments.append([point])
            }
        }
        // Paths live in a stretched 1000-unit-wide box; strokes keep their width.
        let plot = SVGNumber.text(Self.plotHeight)
        out += "<svg class=\"trace\" x=\"0\" y=\"\(SVGNumber.text(Self.top))\" width=\"100%\" height=\"\(plot)\""
        out += " viewBox=\"0 0 1000 \(plot)\" preserveAspectRatio=\"none\">"
        var area = ""
        var line = ""
        for segment in segments where segment.count > 1 {
            var path = ""
            for (offset, point) in segment.enumerated() {
                path += (offset == 0 ? "M" : "L") + SVGNumber.text(x(point.time) * 10) + " "
                path += SVGNumber.text(y(Double(point.value), scale) - Self.top)
            }
            line += path
            area += path + "L" + SVGNumber.text(x(segment.last!.time) * 10) + " \(plot)"
            area += "L" + SVGNumber.text(x(segment[0].time) * 10) + " \(plot)Z"
        }
        if !line.isEmpty {
            out += "<path class=\"area\" d=\"\(area)\"/>"
            out += "<path class=\"line\" d=\"\(line)\" vector-effect=\"non-scaling-stroke\"/>"
        }
        out += "</svg>"

        out += "<g class=\"points\">"
        for segment in segments {
            for point in segment {
                let kind = segment.count == 1 ? "point lone" : "point"
                out += "<circle class=\"\(kind)\" cx=\"\(SVGNumber.percent(x(point.time)))\""
                out += " cy=\"\(SVGNumber.text(y(Double(point.value), scale)))\" r=\"4\"><title>"
                var title = "\(clock.dateTime(point.time)): \(TopTable.number(point.value)) views in total"
                if buckets[point.index].reset { title += "; the counter went down (reset)" }
                out += HTML.escape(title) + "</title></circle>"
            }
        }
        out += "</g>"
        resets(&out)
        crosshair(&out)
        out += "</svg>"
        return out
    }
}
