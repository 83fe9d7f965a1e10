import BlogStatsCore
import Foundation
import Testing

@testable import BlogStatsStore
@testable import BlogStatsWeb

/// The SVG of both charts, read back with an XML parser.
@Suite struct SeriesChartTests {
    @Test func barsOneBarPerBucketWithDataAndNoneInTheGap() throws {
        let svg = try XMLTree(Fixtures.chart().bars())
        let bars = svg.all("rect", class: "bar")
        #expect(bars.count == 10, "12 buckets, 2 of them a gap")
        let gaps = svg.all("rect", class: "gap")
        #expect(gaps.count == 1, "the two gap buckets make one band")
        #expect(gaps.first?.attributes["x"] == "16.667%")
        #expect(gaps.first?.attributes["width"] == "16.667%")
        #expect(gaps.first?.title?.contains("No snapshots") == true)
        // Only the bar that closes the gap may stand over it, and it is marked as such.
        for bar in bars {
            let x = Double(bar.attributes["x"]!.dropLast())!
            if x >= 16.6 && x < 33.3 { #expect(bar.classes.contains("catchup"), "\(bar.attributes)") }
        }
        let catchup = svg.all("rect", class: "catchup")
        #expect(catchup.count == 1)
        // Spans the gap and its own hour (3 h), at the average height: 60 views / 3 = 20 per hour.
        #expect(catchup.first?.attributes["x"] == "18.417%")
        #expect(catchup.first?.attributes["width"] == "21.5%")
        #expect(catchup.first?.title?.contains("60 views while no snapshots arrived") == true)
        #expect(catchup.first?.title?.contains("drawn as 20 per hour") == true)
        #expect(svg.all("rect", class: "partial").count == 1, "the hour still running")
        #expect(bars.allSatisfy { $0.title?.isEmpty == false }, "every bar has a tooltip")
        #expect(bars.contains { $0.title == "Thu 3 Dec, 08:00–09:00: 1,210 views" })
    }

    @Test func barHeightsShareOneScaleFromZero() throws {
        let svg = try XMLTree(Fixtures.chart().bars())
        let labels = svg.all("g", class: "y-axis").first!.children.map(\.text)
        #expect(labels == ["0", "500", "1,000", "1,500"])
        // The plot is 180 px high from y = 22: 1,210 of 1,500 is 145.2 px.
        let tallest = svg.all("rect", class: "bar").first { $0.title?.contains("1,210 views") == true }!
        #expect(tallest.attributes["height"] == "145.2")
        #expect(tallest.attributes["y"] == "56.8")
        let zero = svg.all("rect", class: "bar").first { $0.title?.contains(": 0 views") == true }!
        #expect(zero.attributes["height"] == "0")
    }

    @Test func axesHaveTimeTicksAndABaseline() throws {
        let svg = try XMLTree(Fixtures.chart().bars())
        #expect(svg.all("line", class: "baseline").count == 1)
        let axis = svg.all("g", class: "x-axis").first!
        let labels = axis.children.filter { $0.name == "text" }.map(\.text)
        #expect(labels == ["Thu 3", "02:00", "04:00", "06:00", "08:00", "10:00"])
        #expect(axis.children.filter { $0.name == "line" && $0.classes.contains("tick") }.count == 6)
        #expect(axis.children.first { $0.text == "Thu 3" }?.classes == ["major"])
        #expect(svg.all("line", class: "crosshair").count == 1)
    }

    @Test func resetIsMarkedOnBothCharts() throws {
        for text in [Fixtures.chart().bars(), Fixtures.chart().line()] {
            let svg = try XMLTree(text)
            let resets = svg.all("line", class: "reset")
            #expect(resets.count == 1)
            #expect(resets.first?.attributes["x1"] == "41.667%", "at the start of 05:00")
            #expect(resets.first?.title?.contains("went down") == true)
            #expect(svg.all("text", class: "reset-label").count == 1)
        }
        let plain = SeriesChart(
            grid: Fixtures.grid,
            buckets: Fixtures.buckets.map {
                var b = $0; b.reset = false; return b
            },
            now: Fixtures.now, clock: Fixtures.clock, label: "x")
        #expect(try XMLTree(plain.bars()).all("line", class: "reset").isEmpty)
    }

    @Test func lineBreaksAtGapsInsteadOfDroppingToZero() throws {
        let svg = try XMLTree(Fixtures.chart().line())
        let path = svg.all("path", class: "line").first!.attributes["d"]!
        #expect(path.filter { $0 == "M" }.count == 2, "two runs: before and after the gap: \(path)")
        #expect(!path.contains(" 180L") && !path.hasSuffix(" 180"), "no point at zero: \(path)")
        let points = svg.all("circle", class: "point")
        #expect(points.count == 10)
        #expect(points.allSatisfy { $0.title?.contains("views in total") == true })
        #expect(svg.all("rect", class: "gap").count == 1)
        // The running hour's point stands at now (11:30), not at the hour's end.
        #expect(points.last?.attributes["cx"] == "95.833%")
    }

    @Test func lonePointBetweenGapsIsVisible() throws {
        let day = Fixtures.day
        let grid = BucketGrid(from: day, to: day + 3 * 3600, step: 3600)
        let chart = SeriesChart(
            grid: grid,
            buckets: [
                SeriesBucket(start: day, cumulative: nil, views: nil),
                SeriesBucket(start: day + 3600, cumulative: 5, views: 5, gapSeconds: 3600),
                SeriesBucket(start: day + 7200, cumulative: nil, views: nil),
            ], now: day + 4 * 3600, clock: Fixtures.clock, label: "x")
        let svg = try XMLTree(chart.line())
        #expect(svg.all("circle", class: "lone").count == 1)
        #expect(svg.all("path", class: "line").isEmpty, "no path of a single point")
        #expect(svg.all("rect", class: "gap").count == 2)
    }

    @Test func removedPeriodsAreBands() throws {
        let day = Fixtures.day
        let chart = Fixtures.chart(removed: [
            PostSeries.Absence(from: day + 9 * 3600, to: day + 10 * 3600),
            PostSeries.Absence(from: day - 50, to: day - 10),
        ])
        let removed = try XMLTree(chart.bars()).all("rect", class: "removed")
        #expect(removed.count == 1, "the absence before the window is not drawn")
        #expect(removed.first?.attributes["x"] == "75%")
        #expect(removed.first?.attributes["width"] == "8.333%")
    }

    @Test func emptySeriesStillDrawsAxes() throws {
        let day = Fixtures.day
        let grid = BucketGrid(from: day, to: day + 7200, step: 3600)
        let chart = SeriesChart(
            grid: grid, buckets: grid.starts.map { SeriesBucket(start: $0, cumulative: nil, views: nil) },
            now: day + 7200,
            clock: Fixtures.clock, label: "x")
        for text in [chart.bars(), chart.line()] {
            let svg = try XMLTree(text)
            #expect(svg.all("g", class: "y-axis").first?.children.first?.text == "0")
            #expect(svg.all("rect", class: "bar").isEmpty)
            #expect(svg.all("rect", class: "gap").count == 1)
        }
    }

    @Test func sparklineBarsScaleToTheLargest() throws {
        let svg = try XMLTree(Sparkline(values: [0, 5, nil, 10], subject: "t").svg())
        let bars = svg.all("rect")
        #expect(bars.count == 2, "zero and missing draw nothing")
        #expect(bars.map { $0.attributes["height"] } == ["11", "22"])
        #expect(svg.root.title?.contains("highest: 10") == true)
    }
}
