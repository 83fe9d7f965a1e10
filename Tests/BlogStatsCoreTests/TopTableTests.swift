import Testing

@testable import BlogStatsCore

@Suite("TopTable")
struct TopTableTests {
    @Test func sparklineScalesToTheLargestAndShowsGapsAsSpaces() {
        #expect(TopTable.sparkline([0, 1, 2, 4, 8, nil, 8]) == "▁▂▃▅█ █")
        #expect(TopTable.sparkline([0, 0]) == "▁▁")
        #expect(TopTable.sparkline([]) == "")
    }

    @Test func numbersAndChanges() {
        #expect(TopTable.number(0) == "0")
        #expect(TopTable.number(999) == "999")
        #expect(TopTable.number(1_234_567) == "1,234,567")
        #expect(TopTable.number(-4321) == "-4,321")
        #expect(TopTable.change(150, 100) == "▲ 50%")
        #expect(TopTable.change(50, 100) == "▼ 50%")
        #expect(TopTable.change(10, 0) == "new")
        #expect(TopTable.change(0, 0) == "=")
        #expect(TopTable.change(100, 100) == "=")
    }

    @Test func everyLineFitsEightyColumnsAndTitlesCannotReachTheTerminal() {
        let hostile = "\u{1B}[31mred\u{1B}[0m\n<script>\u{202E}reversed " + String(repeating: "long ", count: 40)
        let table = TopTable(
            title: "blog default · last 7d", views: 1_234_567, previousViews: 1_000_000,
            trend: Array(repeating: 5, count: 20),
            rows: [
                .init(label: hostile, views: 98_765, previousViews: 100_000, total: 12_345_678, trend: [1, 2, 3]),
                .init(label: "gone", views: 0, previousViews: 3, total: nil, trend: [nil, 0]),
            ])
        let text = table.render(width: 80)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == 6)
        #expect(lines.allSatisfy { $0.count <= 80 })
        #expect(!text.contains("\u{1B}") && !text.contains("\u{202E}"))
        #expect(lines[4].hasPrefix("  1    98,765    ▼ 1% 12,345,678  ▃▆█"))
        #expect(lines[4].hasSuffix("…"))
        #expect(lines[5].contains("removed"))
        #expect(lines[1].contains("1,234,567 views  ▲ 23% vs previous"))
    }
}
