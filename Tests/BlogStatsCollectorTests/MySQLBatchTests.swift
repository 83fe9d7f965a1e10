import BlogStatsCore
import Testing

@testable import BlogStatsCollector

@Suite struct MySQLBatchTests {
    func parse(_ text: String) throws -> [SnapshotRow] { try MySQLBatch.parse(Array(text.utf8)) }

    @Test func readsWhatMySQLBatchPrints() throws {
        let rows = try parse(
            "id\tslug\tview_count\ttitle\n" + "a1\thello\t12\tTabs\\there, \"quotes\" and a\\nnewline \\\\o/\n"
                + "b2\tNULL\t0\tNULL\n")
        #expect(rows.count == 2)
        #expect(
            rows[0]
                == SnapshotRow(
                    id: "a1", slug: "hello", title: "Tabs\there, \"quotes\" and a\nnewline \\o/", views: 12, line: 2))
        // NULL means no slug; a title is NOT NULL in WriteFreely, so there "NULL" is the text.
        #expect(rows[1].slug == "")
        #expect(rows[1].title == "NULL")
    }

    @Test func findsColumnsByNameInAnyOrderWithABlog() throws {
        let rows = try parse("title\tview_count\tid\tblog\nT\t5\tx\tnotes\n")
        #expect(rows == [SnapshotRow(id: "x", slug: "", title: "T", views: 5, blog: "notes", line: 2)])
    }

    @Test func needsAHeader() {
        #expect(throws: SnapshotFormatError.self) { try parse("a1\thello\t12\tT\n") }
    }

    @Test func namesTheLineOfABadCount() {
        let error = #expect(throws: SnapshotFormatError.self) {
            try parse("id\tslug\tview_count\ttitle\na\ts\t1\tt\nb\ts\t12a\tt\n")
        }
        #expect(error?.line == 3)
        #expect(error?.column == 3)
    }

    @Test func rejectsARowWithTheWrongNumberOfCells() {
        #expect(throws: SnapshotFormatError.self) { try parse("id\tslug\tview_count\ttitle\na\ts\t1\n") }
    }

    @Test func findsQueryColumnsByNameOrPosition() {
        #expect(
            SQLQuerySource.Layout.find(["ID", "c2", "VIEW_COUNT"])
                == .init(id: 0, slug: nil, views: 2, title: nil, blog: nil))
        #expect(
            SQLQuerySource.Layout.find(["a", "b", "c", "d"]) == .init(id: 0, slug: 1, views: 2, title: 3, blog: nil))
        #expect(SQLQuerySource.Layout.find(["a", "b", "c"]) == nil)
    }
}
