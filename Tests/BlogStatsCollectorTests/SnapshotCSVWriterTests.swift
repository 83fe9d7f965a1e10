import BlogStatsCore
import Testing

@testable import BlogStatsCollector

@Suite struct SnapshotCSVWriterTests {
    @Test func writesTheHeaderAndPlainCellsAsTheyAre() {
        var writer = SnapshotCSVWriter()
        writer.append(id: "abc123", slug: "hello-world", views: 42, title: "Hello world")
        writer.append(id: "def456", slug: "", views: 0, title: "")
        #expect(
            String(decoding: writer.bytes, as: UTF8.self)
                == "id,slug,view_count,title\nabc123,hello-world,42,Hello world\ndef456,,0,\n")
        #expect(writer.rows == 2)
    }

    @Test func quotesCommasQuotesAndLineBreaks() {
        var writer = SnapshotCSVWriter()
        writer.append(id: "a", slug: "x,y", views: 1, title: "He said \"hi\"")
        writer.append(id: "b", slug: "s", views: 2, title: "two\nlines\r\nand CR\r")
        let text = String(decoding: writer.bytes, as: UTF8.self)
        #expect(
            text == "id,slug,view_count,title\na,\"x,y\",1,\"He said \"\"hi\"\"\"\nb,s,2,\"two\nlines\r\nand CR\r\"\n")
    }

    @Test func writesLargeAndZeroCounts() {
        var writer = SnapshotCSVWriter()
        writer.append(id: "a", slug: "", views: Int64.max, title: "")
        writer.append(id: "b", slug: "", views: 10, title: "")
        #expect(String(decoding: writer.bytes, as: UTF8.self).hasSuffix("a,,9223372036854775807,\nb,,10,\n"))
    }

    @Test(arguments: [
        "Commas, \"quotes\" and a\nnewline", "CRLF\r\ninside", "  spaces around  ", "tab\there", "émoji 🎉 ünïcode",
        "\"", ",", "", "NULL", "id", "=1+2", "trailing quote\"",
    ])
    func theReceiversParserReadsBackWhatWasWritten(title: String) throws {
        var writer = SnapshotCSVWriter()
        writer.append(id: "p1", slug: title, views: 7, title: title)
        let rows = try SnapshotCSV.parse(writer.bytes)
        #expect(rows.count == 1)
        #expect(rows.first?.title == title)
        #expect(rows.first?.slug == title)
        #expect(rows.first?.views == 7)
    }

    @Test func continuesWithoutASecondHeaderAfterRemovingBytes() {
        var writer = SnapshotCSVWriter()
        writer.append(id: "a", slug: "", views: 1, title: "")
        writer.removeAllBytes()
        writer.append(id: "b", slug: "", views: 2, title: "")
        #expect(String(decoding: writer.bytes, as: UTF8.self) == "b,,2,\n")
        #expect(writer.rows == 2)
    }
}

@Suite struct SnapshotAssemblerTests {
    @Test func compressedPiecesInflateToOneCSVPerBlog() throws {
        var assembler = SnapshotAssembler(capturedAt: 1_700_000_000, flushBytes: 64)
        let notes = assembler.part(for: "notes")
        let unnamed = assembler.part(for: nil)
        for index in 0..<100 {
            assembler.append(
                part: notes, id: "n\(index)", slug: "s\(index)", views: Int64(index), title: "Title, \(index)")
            if index % 10 == 0 { assembler.append(part: unnamed, id: "u\(index)", slug: "", views: 1, title: "") }
            assembler.compressFullParts()
        }
        let duplicates = assembler.mayHaveDuplicateIDs()
        #expect(!duplicates)
        let snapshots = assembler.finish()
        #expect(snapshots.map(\.blog) == ["notes", nil])
        #expect(snapshots.map(\.rows) == [100, 10])
        let csv = try Gzip.inflate(snapshots[0].gzip, limit: 1 << 20)
        #expect(csv.count == snapshots[0].csvBytes)
        let rows = try SnapshotCSV.parse(csv)
        #expect(rows.map(\.id) == (0..<100).map { "n\($0)" })
        #expect(rows[42].title == "Title, 42")
    }

    @Test func aRepeatedIDInOneBlogIsNoticedButNotAcrossBlogs() {
        var assembler = SnapshotAssembler(capturedAt: 0)
        let notes = assembler.part(for: "notes")
        let travel = assembler.part(for: "travel")
        assembler.append(part: notes, id: "same", slug: "", views: 1, title: "")
        assembler.append(part: travel, id: "same", slug: "", views: 1, title: "")
        let acrossBlogs = assembler.mayHaveDuplicateIDs()
        #expect(!acrossBlogs)
        assembler.append(part: travel, id: "same", slug: "", views: 2, title: "")
        let inOneBlog = assembler.mayHaveDuplicateIDs()
        #expect(inOneBlog)
    }

    @Test func anEmptyBlogStillHasABodyWithTheHeader() throws {
        var assembler = SnapshotAssembler(capturedAt: 0)
        _ = assembler.part(for: "empty")
        let snapshot = try #require(assembler.finish().first)
        #expect(snapshot.rows == 0)
        #expect(try Gzip.inflate(snapshot.gzip, limit: 1000) == SnapshotCSVWriter.header)
    }
}
