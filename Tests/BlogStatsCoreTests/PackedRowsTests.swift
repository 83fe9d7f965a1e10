import Foundation
import Testing

@testable import BlogStatsCore

/// The receiver's reading path: rows kept as byte ranges of the body (`SnapshotCSV.parsePacked`,
/// `Snapshot.parse`). The CSV suites run every body through it too (see `csvParse`).
@Suite("PackedRows and Snapshot.parse")
struct PackedRowsTests {
    private func parse(_ text: String, blog: String = "default") throws(SnapshotFormatError) -> [Snapshot] {
        try Snapshot.parse(Array(text.utf8), defaultBlog: blog, capturedAt: 60, explicitTime: true)
    }

    private func parseError(_ text: String) -> SnapshotFormatError? {
        do {
            _ = try parse(text)
            return nil
        } catch {
            return error
        }
    }

    @Test func escapedCellsAreUnescapedAndKeepTheirLines() throws {
        let text = "id,slug,view_count,title\na,s,1,\"say \"\"hi\"\"\"\n\"b\"\"2\",,2,\"two\nlines\"\nc,t,3,plain\n"
        let snapshots = try parse(text)
        #expect(snapshots.count == 1)
        #expect(snapshots[0].rowCount == 3)
        #expect(
            snapshots[0].rows == [
                SnapshotRow(id: "a", slug: "s", title: "say \"hi\"", views: 1, line: 2),
                SnapshotRow(id: "b\"2", slug: "", title: "two\nlines", views: 2, line: 3),
                SnapshotRow(id: "c", slug: "t", title: "plain", views: 3, line: 5),
            ])
        // Equal to the same rows given as text: equality, content hash and packing agree.
        let text2 = Snapshot(blog: "default", capturedAt: 60, explicitTime: true, rows: snapshots[0].rows)
        #expect(snapshots[0] == text2)
        #expect(snapshots[0].contentHash == text2.contentHash)
        #expect(snapshots[0].contentHash == ContentHash.snapshot(snapshots[0].rows))
        #expect(PackedRows(snapshots[0].rows).rows == snapshots[0].rows)
    }

    @Test func mysqlBackslashEscapesArePacked() throws {
        let body = Array("id\tslug\tview_count\ttitle\nx\\ty\ts\t4\tline\\none\n".utf8)
        guard case .packed(let packed, let idColumn) = try SnapshotCSV.parsePacked(body, separator: csvTab) else {
            Issue.record("a body without a blog column stays packed")
            return
        }
        #expect(idColumn == 1)
        #expect(packed.rows == [SnapshotRow(id: "x\ty", slug: "s", title: "line\none", views: 4, line: 2)])
    }

    @Test func aDuplicateIDIsFoundAcrossQuotingStyles() {
        // `"a""b"` and `a"b` are the same id once unescaped.
        let error = parseError("id,slug,view_count,title\n\"a\"\"b\",s,1,T\nc,s,2,T\na\"b,s,3,T\n")
        #expect(
            error == SnapshotFormatError("duplicate id \"a\"b\" (first on line 2)", line: 4, column: 1, field: "id"))
    }

    @Test func duplicateAmongManyPackedRowsNamesBothLinesAndTheColumn() {
        var text = "slug,id,view_count\n"
        for index in 0..<50_000 { text += "s,post-\(index),\(index)\n" }
        #expect(parseError(text) == nil)
        text += "s,post-31337,0\n"
        #expect(
            parseError(text)
                == SnapshotFormatError(
                    "duplicate id \"post-31337\" (first on line 31339)", line: 50_002, column: 2, field: "id"))
    }

    @Test func aBodyWithABlogColumnIsSplitAsText() throws {
        let snapshots = try parse("id,view_count,blog\n1,5,a\n2,6,\n1,7,b\n", blog: "main")
        #expect(snapshots.map(\.blog) == ["a", "main", "b"])
        #expect(snapshots.map(\.rowCount) == [1, 1, 1])
        #expect(snapshots[2].rows == [SnapshotRow(id: "1", slug: "", title: "", views: 7, blog: "b", line: 4)])
    }

    @Test func theDefaultBlogNameIsChecked() {
        #expect(throws: SnapshotFormatError.self) { try parse("1,a,1,A\n", blog: "no spaces") }
    }

    @Test func anEmptyBodyIsAnEmptySnapshot() throws {
        let snapshots = try parse("id,slug,view_count,title\n")
        #expect(snapshots.map(\.rowCount) == [0])
        #expect(snapshots[0].contentHash == 0)
    }

    @Test func manyColumnsGrowTheCellBounds() throws {
        // The reader's per-record cell list starts with room for eight cells.
        let names = (1...20).map { "extra\($0)" }
        let header = (names[..<10] + ["id", "view_count", "title"] + names[10...]).joined(separator: ",")
        let cells = (1...20).map { "\"v,\($0)\"" }
        let line = (cells[..<10] + ["p1", "7", "\"T, one\""] + cells[10...]).joined(separator: ",")
        let rows = try csvParse(header + "\n" + line + "\n" + line.replacingOccurrences(of: "p1", with: "p2"))
        #expect(
            rows == [
                SnapshotRow(id: "p1", slug: "", title: "T, one", views: 7, line: 2),
                SnapshotRow(id: "p2", slug: "", title: "T, one", views: 7, line: 3),
            ])
    }

    @Test func longCellsCrossTheEightByteScan() throws {
        // Cells of every length around the eight-byte steps, with quotes and newlines at each offset.
        for length in 0..<20 {
            let plain = String(repeating: "x", count: length)
            let quoted = String(repeating: "y", count: length) + "\"\"" + "\n" + plain
            let rows = try csvParse("id,slug,view_count,title\nid\(plain),\(plain),\(length),\"\(quoted)\"\n")
            #expect(
                rows == [
                    SnapshotRow(
                        id: "id" + plain, slug: plain, title: quoted.replacingOccurrences(of: "\"\"", with: "\""),
                        views: Int64(length), line: 2)
                ])
        }
    }

    @Test func invalidUTF8InAnyKeptCellIsNamed() {
        for (column, field) in [(1, "id"), (2, "slug"), (4, "title")] {
            var cells: [[UInt8]] = [Array("a".utf8), Array("s".utf8), Array("1".utf8), Array("t".utf8)]
            cells[column - 1] += [0xC3, 0x28]
            let body = Array("id,slug,view_count,title\n".utf8) + Array(cells.joined(separator: [UInt8(ascii: ",")]))
            #expect(
                csvFailure(body)
                    == SnapshotFormatError("invalid UTF-8 in \(field)", line: 2, column: column, field: field))
        }
    }
}

@Suite("UTF8Validation")
struct UTF8ValidationTests {
    private func agrees(_ bytes: [UInt8]) -> Bool {
        let ours = bytes.withUnsafeBufferPointer { UTF8Validation.isValid($0) }
        return ours == (String(validating: bytes, as: UTF8.self) != nil)
    }

    @Test func everyOneAndTwoByteSequenceAgreesWithTheStandardLibrary() {
        var disagreements: [[UInt8]] = []
        for first in 0...255 {
            if !agrees([UInt8(first)]) { disagreements.append([UInt8(first)]) }
            for second in 0...255 where !agrees([UInt8(first), UInt8(second)]) {
                disagreements.append([UInt8(first), UInt8(second)])
            }
        }
        #expect(disagreements.isEmpty)
    }

    @Test func threeAndFourByteSequencesAroundTheBoundariesAgree() {
        // Every lead byte from 0xC0 with second and third bytes at and around the edges of the
        // continuation ranges (where overlong forms, surrogates and U+10FFFF are decided).
        let edges: [UInt8] = [0x00, 0x41, 0x7F, 0x80, 0x81, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xF4, 0xFF]
        var disagreements: [[UInt8]] = []
        for lead in 0xC0...0xFF {
            for second in edges {
                for third in edges {
                    let three = [UInt8(lead), second, third]
                    if !agrees(three) { disagreements.append(three) }
                    // Fourth bytes matter for the four-byte leads only.
                    for fourth in edges where lead >= 0xF0 && !agrees(three + [fourth]) {
                        disagreements.append(three + [fourth])
                    }
                }
            }
        }
        #expect(disagreements.isEmpty)
    }

    @Test func longTextWithMultiByteCharactersAfterAsciiRuns() {
        let text = "plain ascii run, then é, 日本語, 🚆 and Arabic مرحبا, then ascii again........"
        #expect(agrees(Array(text.utf8)))
        #expect(text.utf8.indices.allSatisfy { cut in agrees(Array(text.utf8[..<cut])) })
        var broken = Array(text.utf8)
        broken[40] = 0xFF
        #expect(!broken.withUnsafeBufferPointer { UTF8Validation.isValid($0) })
    }
}
