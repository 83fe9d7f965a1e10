import BlogStatsCore
import Testing

@testable import BlogStatsCollector

@Suite struct SpoolEntryTests {
    let time = Timestamp.parse("2026-12-03T16:20:05Z")!

    @Test func namesCarryTimeAndBlogAndReadBack() throws {
        let entry = SpoolEntry(capturedAt: time, blog: "notes.v2_x-y")
        #expect(entry.fileName == "20261203T162005Z.notes.v2_x-y.csv.gz")
        #expect(SpoolEntry(fileName: entry.fileName) == entry)
        let unnamed = SpoolEntry(capturedAt: time, blog: nil)
        #expect(unnamed.fileName == "20261203T162005Z.csv.gz")
        #expect(SpoolEntry(fileName: unnamed.fileName) == unnamed)
        // A blog may be called "csv": the name stays unambiguous.
        let csv = SpoolEntry(capturedAt: time, blog: "csv")
        #expect(SpoolEntry(fileName: csv.fileName) == csv)
    }

    @Test(arguments: [
        ".lock", ".tmp.123.456.20261203T162005Z.notes.csv.gz", "20261203T162005Z.notes.error.txt", "notes.csv.gz",
        "20261203T162005Z.csv", "20261303T162005Z.notes.csv.gz", "20261203T162005Z..csv.gz", "rejected",
    ])
    func otherFilesAreNotSnapshots(name: String) {
        #expect(SpoolEntry(fileName: name) == nil)
    }

    @Test func sortOldestFirstThenByBlog() {
        let entries = [
            SpoolEntry(capturedAt: time + 60, blog: "a"), SpoolEntry(capturedAt: time, blog: "travel"),
            SpoolEntry(capturedAt: time, blog: "notes"),
        ]
        #expect(
            entries.sorted().map(\.fileName) == [
                "20261203T162005Z.notes.csv.gz", "20261203T162005Z.travel.csv.gz", "20261203T162105Z.a.csv.gz",
            ])
        // File names sort the same way as entries (what `ls` shows is the replay order).
        #expect(entries.map(\.fileName).sorted() == entries.sorted().map(\.fileName))
    }
}
