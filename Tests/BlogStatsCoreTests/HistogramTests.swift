import Testing

@testable import BlogStatsCore

@Suite("Histogram")
struct HistogramTests {
    @Test func bucketsAreInclusiveUpperBoundsAndCumulativeWhenExposed() {
        var histogram = Histogram(bounds: [0.1, 1, 10])
        for value in [0.05, 0.1, 0.5, 1, 9.99, 10, 11, 1e9] { histogram.observe(value) }
        #expect(histogram.counts == [2, 2, 2, 2])
        #expect(histogram.cumulativeCounts == [2, 4, 6, 8])
        #expect(histogram.count == 8)
        #expect(histogram.sum == 0.05 + 0.1 + 0.5 + 1 + 9.99 + 10 + 11 + 1e9)
    }

    @Test func emptyAndOddValues() {
        var histogram = Histogram(bounds: Histogram.ingestSecondsBounds)
        #expect(histogram.cumulativeCounts == [UInt64](repeating: 0, count: Histogram.ingestSecondsBounds.count + 1))
        histogram.observe(-1)  // a clock step backwards: the lowest bucket
        histogram.observe(.nan)  // ignored
        histogram.observe(.infinity)
        #expect(histogram.counts.first == 1 && histogram.counts.last == 1)
        #expect(histogram.count == 2 && histogram.sum == .infinity)
    }
}
