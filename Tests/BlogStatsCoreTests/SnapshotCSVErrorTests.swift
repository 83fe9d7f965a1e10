import Foundation
import Testing

@testable import BlogStatsCore

@Suite("SnapshotCSV: malformed bodies")
struct SnapshotCSVErrorTests {
    @Test func unterminatedQuoteNamesTheLineWhereItOpened() {
        let error = csvFailure("id,slug,view_count,title\n1,a,5,ok\n2,b,6,\"never closed\n3,c,7,x\n4,d,8,y\n")
        #expect(
            error
                == SnapshotFormatError(
                    "unterminated quoted field (the quote opened here is never closed)", line: 3, column: 4))
    }

    @Test func unterminatedQuoteInTheMiddleOfARecord() {
        #expect(csvFailure("1,\"slug,5,t\n")?.line == 1)
        #expect(csvFailure("1,\"slug,5,t\n")?.column == 2)
        #expect(csvFailure("1,a,5,\"")?.column == 4)
    }

    @Test(
        "garbage after a closing quote",
        arguments: ["2,\"b\"x,6,t\n", "2,\"b\" ,6,t\n", "2,\"b\"\"x\"y,6,t\n", "2,\"b\"\rx,6,t\r\n"])
    func garbageAfterClosingQuote(_ line: String) {
        let error = csvFailure("id,slug,view_count,title\n" + line)
        #expect(
            error
                == SnapshotFormatError(
                    "unexpected character after a closing quote (a quote inside a quoted field must be doubled)",
                    line: 2,
                    column: 2))
    }

    @Test func garbageAfterAMultiLineQuotedFieldNamesTheLineOfTheGarbage() {
        let error = csvFailure("id,slug,view_count,title\n1,a,5,\"x\ny\"z\n")
        #expect(error?.line == 3)
        #expect(error?.column == 4)
    }

    @Test(
        "bad view_count",
        arguments: [
            ("12a", "view_count is not a number: \"12a\""),
            ("-5", "view_count is negative: \"-5\""),
            ("", "view_count is empty"),
            ("\"\"", "view_count is empty"),
            ("9223372036854775808", "view_count is too large: \"9223372036854775808\""),
            ("99999999999999999999999", "view_count is too large: \"99999999999999999999999\""),
            ("1.5", "view_count is not a number: \"1.5\""),
            ("+3", "view_count is not a number: \"+3\""),
            (" 3", "view_count is not a number: \" 3\""),
            ("-", "view_count is not a number: \"-\""),
            ("1e3", "view_count is not a number: \"1e3\""),
            ("٣", "view_count is not a number: \"٣\""),
        ])
    func badViewCount(_ cell: String, _ message: String) {
        let error = csvFailure("id,slug,view_count,title\n1,a,1,A\n2,b,2,B\n3,c,\(cell),C\n4,d,4,D\n")
        #expect(error == SnapshotFormatError(message, line: 4, column: 3, field: "view_count"))
        #expect(error?.description == "\(message) (line 4, column 3)")
    }

    @Test func tooLargeViewCountMessageIsBounded() throws {
        let digits = String(repeating: "9", count: 10_000)
        let error = try #require(csvFailure("1,a,\(digits),t\n"))
        #expect(error.line == 1)
        #expect(error.column == 3)
        #expect(error.message.hasPrefix("view_count is too large: \"999"))
        #expect(error.message.utf8.count < 200)
    }

    @Test func badViewCountInAnotherColumnOrder() {
        #expect(
            csvFailure("title,id,view_count\nT,1,x\n")
                == SnapshotFormatError("view_count is not a number: \"x\"", line: 2, column: 3, field: "view_count"))
        #expect(
            csvFailure("view_count,id\n-1,a\n")
                == SnapshotFormatError("view_count is negative: \"-1\"", line: 2, column: 1, field: "view_count"))
    }

    @Test func emptyID() {
        #expect(
            csvFailure("id,slug,view_count,title\n1,a,1,A\n,b,2,B\n")
                == SnapshotFormatError("id is empty", line: 3, column: 1, field: "id"))
        #expect(
            csvFailure("slug,id,view_count\na,\"\",2\n")
                == SnapshotFormatError("id is empty", line: 2, column: 2, field: "id"))
        #expect(csvFailure(",b,2,B\n") == SnapshotFormatError("id is empty", line: 1, column: 1, field: "id"))
    }

    @Test func tooFewColumnsOnALaterLine() {
        let error = csvFailure("id,slug,view_count,title\n1,a,1,A\n2,b,2,B\n3,c,3\n4,d,4,D\n")
        #expect(error == SnapshotFormatError("this row has 3 columns, the header has 4", line: 4, column: 4))
    }

    @Test func tooManyColumnsOnALaterLine() {
        let error = csvFailure("id,slug,view_count,title\n1,a,1,A\n2,b,2,B,extra\n")
        #expect(error == SnapshotFormatError("this row has 5 columns, the header has 4", line: 3, column: 5))
    }

    @Test func wrongColumnCountWithoutHeader() {
        let error = csvFailure("1,a,1,A\r\n2,b,2,\"B\r\nstill B\"\r\n3,c,3,C,\r\n")
        #expect(error == SnapshotFormatError("this row has 5 columns, the first row has 4", line: 4, column: 5))
    }

    @Test func firstRowWithoutHeaderNeedsFourColumns() {
        let error = csvFailure("1,a,1\n")
        #expect(
            error
                == SnapshotFormatError(
                    "expected 4 columns (id,slug,view_count,title) or a header row, found 3", line: 1))
        #expect(csvFailure("\n\nhello\n")?.line == 3)
    }

    @Test func headerMissingViewCount() {
        let error = csvFailure("id,slug,views,title\n1,a,1,A\n")
        #expect(
            error
                == SnapshotFormatError(
                    "the header has no \"view_count\" column (it has: id, slug, views, title)", line: 1,
                    field: "view_count"))
    }

    @Test func headerMissingID() {
        let error = csvFailure("\r\npost_id,slug,view_count,title\r\n1,a,1,A\r\n")
        #expect(
            error
                == SnapshotFormatError(
                    "the header has no \"id\" column (it has: post_id, slug, view_count, title)", line: 2, field: "id"))
    }

    @Test("a header naming a column twice", arguments: ["id", "slug", "view_count", "title", "blog"])
    func headerNamingAColumnTwice(_ name: String) {
        let error = csvFailure("id,slug,view_count,title,blog,\(name.uppercased())\n1,a,1,A,b,x\n")
        #expect(
            error == SnapshotFormatError("the header names column \"\(name)\" twice", line: 1, column: 6, field: name))
    }

    @Test func unknownColumnsMayRepeat() throws {
        let rows = try csvParse("id,note,view_count,note\n1,x,2,y\n")
        #expect(rows == [csvRow("1", "", 2, "", line: 2)])
    }

    @Test func invalidUTF8InATitleOnLine4() {
        let body =
            Array("id,slug,view_count,title\n1,a,1,A\n2,b,2,B\n3,c,3,bad ".utf8) + [0xC3, 0x28] + Array(" title\n".utf8)
        let error = csvFailure(body)
        #expect(error == SnapshotFormatError("invalid UTF-8 in title", line: 4, column: 4, field: "title"))
        #expect(error?.description == "invalid UTF-8 in title (line 4, column 4)")
    }

    @Test(
        "invalid UTF-8 sequences are rejected",
        arguments: [
            [0xC3, 0x28],  // a lead byte followed by ASCII
            [0xC0, 0xAF],  // overlong "/"
            [0xE0, 0x80, 0xAF],  // overlong "/" in three bytes
            [0xF0, 0x80, 0x80, 0xAF],  // overlong "/" in four bytes
            [0xC1, 0xBF],  // overlong DEL
            [0xED, 0xA0, 0x80],  // a UTF-16 surrogate
            [0xF4, 0x90, 0x80, 0x80],  // beyond U+10FFFF
            [0xFF],
            [0x80],  // a lone continuation byte
            [0xE2, 0x82],  // truncated at the end of the cell
        ] as [[UInt8]])
    func invalidUTF8(_ sequence: [UInt8]) {
        let quoted = Array("id,slug,view_count,title\n1,a,1,\"x".utf8) + sequence + Array("\"\"y\"\n".utf8)
        #expect(csvFailure(quoted) == SnapshotFormatError("invalid UTF-8 in title", line: 2, column: 4, field: "title"))
        let inSlug = Array("id,slug,view_count,title\n1,".utf8) + sequence + Array(",1,t\n".utf8)
        #expect(csvFailure(inSlug) == SnapshotFormatError("invalid UTF-8 in slug", line: 2, column: 2, field: "slug"))
        let inID = Array("1,a,1,t\n".utf8) + sequence + Array(",a,1,t\n".utf8)
        #expect(csvFailure(inID) == SnapshotFormatError("invalid UTF-8 in id", line: 2, column: 1, field: "id"))
    }

    @Test func invalidUTF8InTheHeader() {
        let body = Array("id,slug,view_count,ti".utf8) + [0xC0, 0xAF] + Array("tle\n1,a,1,t\n".utf8)
        #expect(csvFailure(body) == SnapshotFormatError("invalid UTF-8 in the header", line: 1, column: 4))
    }

    @Test func invalidUTF8InAHeaderlessFirstRowNamesTheField() {
        let body = Array("1,a,1,".utf8) + [0xC3, 0x28] + Array("\n".utf8)
        #expect(csvFailure(body) == SnapshotFormatError("invalid UTF-8 in title", line: 1, column: 4, field: "title"))
    }

    @Test func invalidUTF8InAnIgnoredColumnIsNotAnError() throws {
        let body = Array("id,view_count,notes\n1,2,".utf8) + [0xFF] + Array("\n".utf8)
        #expect(try csvParse(body) == [csvRow("1", "", 2, "", line: 2)])
    }

    @Test func errorsAsJSON() {
        let error = csvFailure("id,slug,view_count,title\n1,a,1,A\n2,b,2,B\n3,c,12a,C\n")
        #expect(
            String(decoding: error?.json ?? [], as: UTF8.self)
                == #"{"error":"view_count is not a number: \"12a\"","line":4,"column":3,"field":"view_count"}"#)
    }
}
