import Testing

@testable import BlogStatsCore

/// Every snapshot of a history text, or the first error.
private func history(_ text: String, blog: String = "default") throws(SnapshotFormatError) -> (
    [Snapshot], HistoryCSV
) {
    let bytes = Array(text.utf8)
    var snapshots: [Snapshot] = []
    var result: Result<HistoryCSV, SnapshotFormatError>!
    bytes.withUnsafeBufferPointer { buffer in
        do throws(SnapshotFormatError) {
            var reader = try HistoryCSV(buffer, defaultBlog: blog)
            while let snapshot = try reader.next() { snapshots.append(snapshot) }
            result = .success(reader)
        } catch {
            result = .failure(error)
        }
    }
    return (snapshots, try result.get())
}

private func historyError(_ text: String) -> SnapshotFormatError? {
    do {
        _ = try history(text)
        return nil
    } catch {
        return error
    }
}

@Suite("HistoryCSV: history files for blogstats import csv")
struct HistoryCSVTests {
    @Test func rowsOfOneTimeMakeOneSnapshot() throws {
        let (snapshots, _) = try history(
            #"""
            time,id,slug,view_count,title
            2026-01-01T00:00:00Z,a,first,5,"Hello, ""world"""
            2026-01-01T00:00:00Z,b,,7,
            1767225660,a,first,6,"Hello, ""world"""

            """#)
        #expect(snapshots.count == 2)
        #expect(snapshots[0].capturedAt == 1_767_225_600)
        #expect(snapshots[0].explicitTime)
        #expect(snapshots[0].blog == "default")
        #expect(snapshots[0].rows.map(\.id) == ["a", "b"])
        #expect(snapshots[0].rows[0].title == "Hello, \"world\"")
        #expect(snapshots[1].capturedAt == 1_767_225_660)
        #expect(snapshots[1].rows.map(\.views) == [6])
    }

    @Test func theBlogColumnSplitsSnapshotsAndEitherSortOrderWorks() throws {
        let byTime = """
            time,blog,id,slug,view_count,title
            100,one,a,s,1,t
            100,two,a,s,2,t
            200,one,a,s,3,t
            200,,a,s,4,t

            """
        let (snapshots, _) = try history(byTime, blog: "two")
        #expect(snapshots.map(\.blog) == ["one", "two", "one", "two"])
        #expect(snapshots.map(\.capturedAt) == [100, 100, 200, 200])
        let byBlog = """
            time,blog,id,slug,view_count,title
            100,one,a,s,1,t
            200,one,a,s,3,t
            100,two,a,s,2,t
            200,two,a,s,4,t

            """
        let (again, _) = try history(byBlog)
        #expect(again.map(\.blog) == ["one", "one", "two", "two"])
    }

    @Test func unsortedRowsAreAnErrorNamingTheLine() {
        let error = historyError("time,id,view_count\n200,a,1\n100,a,2\n")
        #expect(error?.line == 3)
        #expect(error?.column == 1)
        #expect(error?.field == "time")
        #expect(error?.message.contains("sort the file by time") == true)
        // A time's rows split by another time: the same.
        #expect(historyError("time,id,view_count\n100,a,1\n200,a,2\n100,b,2\n")?.line == 4)
    }

    @Test func badTimesAndMissingColumnsAreErrors() {
        let time = historyError("id,time,view_count\na,yesterday,1\n")
        #expect(time?.line == 2)
        #expect(time?.column == 2)
        #expect(time?.message.contains("\"yesterday\"") == true)
        #expect(historyError("id,slug,view_count,title\na,b,1,c\n")?.field == "time")
        #expect(historyError("time,id,view_count\n1,a,1,extra\n")?.line == 2)
        #expect(historyError("")?.message == "the file is empty")
        #expect(historyError("time,id,view_count\n1,a,1\n1,a,2\n")?.message.contains("duplicate id") == true)
        #expect(historyError("time,id,view_count,blog\n1,a,1,no/slash\n")?.field == "blog")
    }

    @Test func rowsWithoutIdOrCountAreSkippedAndCounted() throws {
        let (snapshots, reader) = try history("time,id,view_count\n1,a,1\n1,,2\n1,b,x\n1,c,-3\n1,d,4\n")
        #expect(snapshots.count == 1)
        #expect(snapshots[0].rows.map(\.id) == ["a", "d"])
        #expect(reader.skippedNoID == 1)
        #expect(reader.skippedBadCount == 2)
        #expect(reader.skipExamples.first?.line == 3)
        #expect(reader.skipExamples.last?.column == 3)
        #expect(reader.rowsRead == 5)
    }
}
