import Foundation
import Testing

@testable import BlogStatsCore

private let comma = UInt8(ascii: ",")
private let tab = UInt8(ascii: "\t")

private func parse(_ text: String, separator: UInt8 = comma) throws(SnapshotFormatError) -> [SnapshotRow] {
    try SnapshotCSV.parse(Array(text.utf8), separator: separator)
}

/// The error a body is rejected with, or nil when it parses.
private func failure(_ body: [UInt8], separator: UInt8 = comma) -> SnapshotFormatError? {
    do {
        _ = try SnapshotCSV.parse(body, separator: separator)
        return nil
    } catch {
        return error
    }
}

private func failure(_ text: String, separator: UInt8 = comma) -> SnapshotFormatError? {
    failure(Array(text.utf8), separator: separator)
}

private func row(_ id: String, _ slug: String, _ views: Int64, _ title: String, blog: String = "", line: Int)
    -> SnapshotRow
{
    SnapshotRow(id: id, slug: slug, title: title, views: views, blog: blog, line: line)
}

@Suite("SnapshotCSV: well-formed bodies")
struct SnapshotCSVParseTests {
    @Test func withHeader() throws {
        let rows = try parse("id,slug,view_count,title\n1,hello,10,Hello\n2,world,20,World\n")
        #expect(rows == [row("1", "hello", 10, "Hello", line: 2), row("2", "world", 20, "World", line: 3)])
    }

    @Test func withoutHeader() throws {
        let rows = try parse("1,hello,10,Hello\n2,world,20,World\n")
        #expect(rows == [row("1", "hello", 10, "Hello", line: 1), row("2", "world", 20, "World", line: 2)])
    }

    @Test("line ends and the final newline", arguments: ["\n", "\r\n"], [true, false])
    func lineEnds(_ newline: String, _ finalNewline: Bool) throws {
        var text = ["id,slug,view_count,title", "a,s1,1,T1", "b,s2,22,T2", "c,s3,333,T3"].joined(separator: newline)
        if finalNewline { text += newline }
        let rows = try parse(text)
        #expect(
            rows == [
                row("a", "s1", 1, "T1", line: 2), row("b", "s2", 22, "T2", line: 3), row("c", "s3", 333, "T3", line: 4),
            ])
    }

    @Test("a quoted last cell with and without the final line end", arguments: ["", "\n", "\r\n"])
    func quotedLastCell(_ end: String) throws {
        let rows = try parse("1,s,5,\"a, b\"\r\n2,t,6,\"c\"\(end)")
        #expect(rows == [row("1", "s", 5, "a, b", line: 1), row("2", "t", 6, "c", line: 2)])
    }

    @Test func aLoneCarriageReturnAtTheEndOfTheBody() throws {
        #expect(try parse("id,slug,view_count,title\r\n1,a,1,T\r") == [row("1", "a", 1, "T", line: 2)])
        #expect(try parse("title,id,view_count\r\nT,1,5\r") == [row("1", "", 5, "T", line: 2)])
        #expect(try parse("1,a,1,\"T\"\r") == [row("1", "a", 1, "T", line: 1)])
        // Anywhere else a carriage return is part of the cell.
        #expect(try parse("1,a\r,1,T\n") == [row("1", "a\r", 1, "T", line: 1)])
    }

    @Test func emptyBodyAndHeaderOnlyHaveNoRows() throws {
        #expect(try parse("").isEmpty)
        #expect(try parse("\n\r\n").isEmpty)
        #expect(try parse("id,slug,view_count,title\r\n").isEmpty)
        #expect(try parse("\u{FEFF}id,slug,view_count,title").isEmpty)
    }

    @Test func blankLinesAreSkippedButCounted() throws {
        let rows = try parse("\nid,slug,view_count,title\n\n1,a,1,A\r\n\r\n\n2,b,2,B\n\n")
        #expect(rows == [row("1", "a", 1, "A", line: 4), row("2", "b", 2, "B", line: 7)])
    }

    @Test func quotedFieldsWithSeparatorsAndDoubledQuotes() throws {
        let text =
            "id,slug,view_count,title\n" + #"1,"a,b",3,"Hello, world""# + "\n" + #"2,s,4,"He said ""hi"", then left""#
            + "\n" + #"3,s3,5,"""""# + "\n" + #"4,s4,6,"x"",""y""# + "\n" + #""5","s5","7","""# + "\n"
        let rows = try parse(text)
        #expect(
            rows == [
                row("1", "a,b", 3, "Hello, world", line: 2),
                row("2", "s", 4, "He said \"hi\", then left", line: 3),
                row("3", "s3", 5, "\"", line: 4),
                row("4", "s4", 6, "x\",\"y", line: 5),
                row("5", "s5", 7, "", line: 6),
            ])
    }

    @Test func unquotedCellsKeepStrayQuotesLiterally() throws {
        let rows = try parse("1,s,5,He said \"hi\"\n")
        #expect(rows == [row("1", "s", 5, "He said \"hi\"", line: 1)])
    }

    @Test func embeddedNewlinesShiftTheFollowingLineNumbers() throws {
        let text =
            "id,slug,view_count,title\n1,a,1,\"first\nsecond\nthird\"\n2,b,2,B\n3,\"multi\nline slug\",3,C\n4,d,4,D\n"
        let rows = try parse(text)
        #expect(
            rows == [
                row("1", "a", 1, "first\nsecond\nthird", line: 2),
                row("2", "b", 2, "B", line: 5),
                row("3", "multi\nline slug", 3, "C", line: 6),
                row("4", "d", 4, "D", line: 8),
            ])
    }

    @Test func crlfInsideAQuotedFieldIsKept() throws {
        let text = "id,slug,view_count,title\r\n1,a,1,\"one\r\ntwo\"\r\n2,b,2,\"\r\n\"\r\n3,c,3,C\r\n"
        let rows = try parse(text)
        #expect(
            rows == [
                row("1", "a", 1, "one\r\ntwo", line: 2),
                row("2", "b", 2, "\r\n", line: 4),
                row("3", "c", 3, "C", line: 6),
            ])
    }

    @Test func lineNumbersAfterEmbeddedNewlinesInErrors() {
        let error = failure("id,slug,view_count,title\n1,a,1,\"x\ny\nz\"\n2,b,oops,B\n")
        #expect(
            error
                == SnapshotFormatError("view_count is not a number: \"oops\"", line: 5, column: 3, field: "view_count"))
    }

    @Test func draftsHaveEmptySlugsAndTitlesMayBeEmpty() throws {
        let rows = try parse("id,slug,view_count,title\ndraft1,,0,Untitled draft\np2,post,3,\np3,,4,\"\"\n")
        #expect(
            rows == [
                row("draft1", "", 0, "Untitled draft", line: 2),
                row("p2", "post", 3, "", line: 3),
                row("p3", "", 4, "", line: 4),
            ])
    }

    @Test("a UTF-8 byte order mark is ignored", arguments: [true, false])
    func byteOrderMark(_ header: Bool) throws {
        let body = [0xEF, 0xBB, 0xBF] + Array(((header ? "id,slug,view_count,title\r\n" : "") + "7,s,8,T\r\n").utf8)
        let rows = try SnapshotCSV.parse(body)
        #expect(rows == [row("7", "s", 8, "T", line: header ? 2 : 1)])
    }

    @Test func byteOrderMarkBeforeAQuotedHeader() throws {
        let rows = try SnapshotCSV.parse([0xEF, 0xBB, 0xBF] + Array("\"id\",\"view_count\"\n\"x\",9\n".utf8))
        #expect(rows == [row("x", "", 9, "", line: 2)])
    }

    @Test func unicodeAndHTMLInTitlesAreKeptExactly() throws {
        let titles = [
            "Ünïcödé — “quotes” 😀👩‍👩‍👧‍👦", "日本語のタイトル、中文标题，한국어", "<script>alert('x')</script> & <b>bold</b>",
            "right-to-left: עברית العربية", "\u{200B}zero width\u{FEFF}",
        ]
        var text = "id,slug,view_count,title\n"
        for (index, title) in titles.enumerated() {
            text += "\(index),slug-ü-\(index),\(index),\"\(title.replacingOccurrences(of: "\"", with: "\"\""))\"\n"
        }
        let rows = try parse(text)
        #expect(rows.map(\.title) == titles)
        #expect(rows.map(\.slug) == (0..<titles.count).map { "slug-ü-\($0)" })
    }

    @Test func columnsInAnotherOrder() throws {
        let rows = try parse("title,view_count,id,slug\nHello,10,abc,hello\n\"World, again\",0,def,\n")
        #expect(rows == [row("abc", "hello", 10, "Hello", line: 2), row("def", "", 0, "World, again", line: 3)])
    }

    @Test func headerNamesAreCaseInsensitiveAndTrimmed() throws {
        let rows = try parse("ID , Slug,\tVIEW_COUNT,Title \n1,s,2,t\n")
        #expect(rows == [row("1", "s", 2, "t", line: 2)])
    }

    @Test func extraColumnsAreIgnored() throws {
        let text = "created,id,author,slug,view_count,title,updated\n2026-01-01,1,me,s,5,T,\"x,y\"\n,2,,s2,6,T2,\n"
        let rows = try parse(text)
        #expect(rows == [row("1", "s", 5, "T", line: 2), row("2", "s2", 6, "T2", line: 3)])
    }

    @Test func extraColumnsWithoutHeaderAreIgnored() throws {
        let rows = try parse("1,s,5,T,extra,more\n2,t,6,U,x,y\n")
        #expect(rows == [row("1", "s", 5, "T", line: 1), row("2", "t", 6, "U", line: 2)])
    }

    @Test func optionalBlogColumn() throws {
        let rows = try parse("blog,id,slug,view_count,title\nnews,1,s,5,T\n,2,t,6,U\nart,1,u,7,V\n")
        #expect(
            rows == [
                row("1", "s", 5, "T", blog: "news", line: 2),
                row("2", "t", 6, "U", blog: "", line: 3),
                row("1", "u", 7, "V", blog: "art", line: 4),
            ])
    }

    @Test func headerWithOnlyIDAndViewCount() throws {
        let rows = try parse("view_count,id\n12,a\n0,b\n")
        #expect(rows == [row("a", "", 12, "", line: 2), row("b", "", 0, "", line: 3)])
    }

    @Test func viewCountLimitsAndQuotedNumbers() throws {
        let rows = try parse("id,view_count\na,0\nb,9223372036854775807\nc,\"42\"\nd,007\n")
        #expect(rows.map(\.views) == [0, Int64.max, 42, 7])
    }

    @Test func tabSeparatedLikeMySQLBatch() throws {
        // `mysql --batch -e "select id, slug, view_count, title from posts"`
        let text =
            "id\tslug\tview_count\ttitle\nabc\thello-world\t1234\tHello, world\ndef\t\t0\tA draft; with, commas\n"
        let rows = try parse(text, separator: tab)
        #expect(
            rows == [
                row("abc", "hello-world", 1234, "Hello, world", line: 2),
                row("def", "", 0, "A draft; with, commas", line: 3),
            ])
    }

    @Test func tabSeparatedErrorsNameTheColumn() {
        #expect(
            failure("id\tslug\tview_count\ttitle\n1\ts\t5x\tT\n", separator: tab)
                == SnapshotFormatError("view_count is not a number: \"5x\"", line: 2, column: 3, field: "view_count"))
    }

    @Test("mysql --batch output: no quoting, backslash escapes")
    func mysqlBatchEscapes() throws {
        // mysql --batch does not quote cells: it escapes tab, newline and backslash as \t, \n and \\.
        // A title that starts with a quote is therefore a plain cell, and "C:\\dir" means `C:\dir`.
        let text = "id\tslug\tview_count\ttitle\n1\ts\t5\t\"Quoted\" start\n2\tt\t6\tC:\\\\dir\\nnext\n"
        let rows = try parse(text, separator: tab)
        #expect(rows == [row("1", "s", 5, "\"Quoted\" start", line: 2), row("2", "t", 6, "C:\\dir\nnext", line: 3)])
    }

    @Test func headerlessFirstRowThatMentionsID() throws {
        // A post titled "ID" (or with the slug "id") must not turn the first data row into a header.
        let rows = try parse("1,id,10,ID\n2,view_count,20,view_count\n")
        #expect(rows == [row("1", "id", 10, "ID", line: 1), row("2", "view_count", 20, "view_count", line: 2)])
    }

    @Test func manyRows() throws {
        var body: [UInt8] = []
        body.reserveCapacity(4_000_000)
        body.append(contentsOf: "id,slug,view_count,title\n".utf8)
        for index in 0..<100_000 {
            if index % 1000 == 999 {
                body.append(
                    contentsOf: "p\(index),slug-\(index),\(index * 7),\"Title, \"\"\(index)\"\"\nsecond line\"\n".utf8)
            } else {
                body.append(contentsOf: "p\(index),slug-\(index),\(index * 7),Title \(index)\n".utf8)
            }
        }
        let rows = try SnapshotCSV.parse(body)
        #expect(rows.count == 100_000)
        #expect(rows.first == row("p0", "slug-0", 0, "Title 0", line: 2))
        #expect(rows[998] == row("p998", "slug-998", 6986, "Title 998", line: 1000))
        #expect(rows[999] == row("p999", "slug-999", 6993, "Title, \"999\"\nsecond line", line: 1001))
        #expect(rows[1000] == row("p1000", "slug-1000", 7000, "Title 1000", line: 1003))
        // 99 multi-line titles before the last row, each adding one line.
        #expect(rows.last == row("p99999", "slug-99999", 699_993, "Title, \"99999\"\nsecond line", line: 100_001 + 99))
        #expect(Set(rows.map(\.id)).count == 100_000)
    }
}

@Suite("SnapshotCSV: the sqlite3 CLI's own output")
struct SnapshotCSVSQLiteTests {
    struct Post: Equatable {
        var id: String
        var slug: String?
        var views: Int64
        var title: String
    }

    static let posts: [Post] = [
        Post(id: "a1b2c3", slug: "hello-world", views: 1234, title: "Hello, world"),
        Post(id: "q", slug: "quotes", views: 0, title: "She said \"hi\", \"bye\" and \"\""),
        Post(id: "nl", slug: "new-lines", views: 5, title: "line one\nline two\n\nline four"),
        Post(id: "crlf", slug: "crlf", views: 6, title: "windows\r\nline"),
        Post(id: "emoji", slug: "emoji-😀", views: 7, title: "Party 🎉 time 👩‍💻 — ünïcödé 日本語"),
        Post(id: "xss", slug: "xss", views: 8, title: "<script>alert(\"x\")</script>&amp;"),
        Post(id: "draft", slug: nil, views: 9, title: "A draft without a slug"),
        Post(id: "empty", slug: "", views: 10, title: ""),
        Post(id: "spaces", slug: "s", views: 11, title: "  padded, with spaces  "),
        Post(id: "tab", slug: "t", views: 12, title: "tab\there; semicolon'apostrophe"),
        Post(id: "big", slug: "big", views: Int64.max, title: "\""),
        Post(id: "comma,id", slug: "c", views: 13, title: ","),
    ]

    /// An SQL string literal. Carriage returns go in as `char(13)`: the sqlite3 shell drops a `\r`
    /// before a line end of the script it reads.
    static func sqlLiteral(_ text: String?) -> String {
        guard let text else { return "NULL" }
        var literal = "'"
        for scalar in text.unicodeScalars {
            switch scalar {
            case "'": literal += "''"
            case "\r": literal += "' || char(13) || '"
            default: literal.unicodeScalars.append(scalar)
            }
        }
        return literal + "'"
    }

    @Test(.enabled(if: TestSupport.which("sqlite3") != nil, "needs the sqlite3 CLI"))
    func parsesExactlyWhatSQLite3Prints() throws {
        let sqlite3 = try #require(TestSupport.which("sqlite3"))
        let directory = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(directory) }
        let database = directory.appendingPathComponent("posts.db").path

        var script =
            "CREATE TABLE posts (id TEXT PRIMARY KEY, slug TEXT, view_count INTEGER NOT NULL, title TEXT NOT NULL);\n"
        for post in Self.posts {
            script +=
                "INSERT INTO posts (id, slug, view_count, title) VALUES ("
                + "\(Self.sqlLiteral(post.id)), \(Self.sqlLiteral(post.slug)), \(post.views), \(Self.sqlLiteral(post.title)));\n"
        }
        let scriptFile = directory.appendingPathComponent("create.sql")
        try Data(script.utf8).write(to: scriptFile)
        let create = try TestSupport.run(sqlite3, [database], stdinFile: scriptFile)
        #expect(create.status == 0, "sqlite3 failed: \(create.stderr)")

        let output = try TestSupport.run(
            sqlite3, [database, ".mode csv", ".header on", "select id, slug, view_count, title from posts"])
        #expect(output.status == 0, "sqlite3 failed: \(output.stderr)")
        // The CLI really writes CRLF line ends and a header: the reader must cope with both.
        #expect(output.stdout.starts(with: Array("id,slug,view_count,title\r\n".utf8)))

        let rows = try SnapshotCSV.parse(output.stdout)
        #expect(rows.count == Self.posts.count)
        for (parsed, post) in zip(rows, Self.posts) {
            #expect(parsed.id == post.id)
            #expect(parsed.slug == (post.slug ?? ""))
            #expect(parsed.views == post.views)
            #expect(parsed.title == post.title)
            #expect(parsed.blog == "")
        }
        // Line numbers follow the physical lines, including those inside quoted titles.
        #expect(rows.map(\.line) == [2, 3, 4, 8, 10, 11, 12, 13, 14, 15, 16, 17])
    }
}

@Suite("SnapshotCSV: malformed bodies")
struct SnapshotCSVErrorTests {
    @Test func unterminatedQuoteNamesTheLineWhereItOpened() {
        let error = failure("id,slug,view_count,title\n1,a,5,ok\n2,b,6,\"never closed\n3,c,7,x\n4,d,8,y\n")
        #expect(
            error
                == SnapshotFormatError(
                    "unterminated quoted field (the quote opened here is never closed)", line: 3, column: 4))
    }

    @Test func unterminatedQuoteInTheMiddleOfARecord() {
        #expect(failure("1,\"slug,5,t\n")?.line == 1)
        #expect(failure("1,\"slug,5,t\n")?.column == 2)
        #expect(failure("1,a,5,\"")?.column == 4)
    }

    @Test(
        "garbage after a closing quote",
        arguments: ["2,\"b\"x,6,t\n", "2,\"b\" ,6,t\n", "2,\"b\"\"x\"y,6,t\n", "2,\"b\"\rx,6,t\r\n"])
    func garbageAfterClosingQuote(_ line: String) {
        let error = failure("id,slug,view_count,title\n" + line)
        #expect(
            error
                == SnapshotFormatError(
                    "unexpected character after a closing quote (a quote inside a quoted field must be doubled)",
                    line: 2,
                    column: 2))
    }

    @Test func garbageAfterAMultiLineQuotedFieldNamesTheLineOfTheGarbage() {
        let error = failure("id,slug,view_count,title\n1,a,5,\"x\ny\"z\n")
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
        let error = failure("id,slug,view_count,title\n1,a,1,A\n2,b,2,B\n3,c,\(cell),C\n4,d,4,D\n")
        #expect(error == SnapshotFormatError(message, line: 4, column: 3, field: "view_count"))
        #expect(error?.description == "\(message) (line 4, column 3)")
    }

    @Test func tooLargeViewCountMessageIsBounded() throws {
        let digits = String(repeating: "9", count: 10_000)
        let error = try #require(failure("1,a,\(digits),t\n"))
        #expect(error.line == 1)
        #expect(error.column == 3)
        #expect(error.message.hasPrefix("view_count is too large: \"999"))
        #expect(error.message.utf8.count < 200)
    }

    @Test func badViewCountInAnotherColumnOrder() {
        #expect(
            failure("title,id,view_count\nT,1,x\n")
                == SnapshotFormatError("view_count is not a number: \"x\"", line: 2, column: 3, field: "view_count"))
        #expect(
            failure("view_count,id\n-1,a\n")
                == SnapshotFormatError("view_count is negative: \"-1\"", line: 2, column: 1, field: "view_count"))
    }

    @Test func emptyID() {
        #expect(
            failure("id,slug,view_count,title\n1,a,1,A\n,b,2,B\n")
                == SnapshotFormatError("id is empty", line: 3, column: 1, field: "id"))
        #expect(
            failure("slug,id,view_count\na,\"\",2\n")
                == SnapshotFormatError("id is empty", line: 2, column: 2, field: "id"))
        #expect(failure(",b,2,B\n") == SnapshotFormatError("id is empty", line: 1, column: 1, field: "id"))
    }

    @Test func tooFewColumnsOnALaterLine() {
        let error = failure("id,slug,view_count,title\n1,a,1,A\n2,b,2,B\n3,c,3\n4,d,4,D\n")
        #expect(error == SnapshotFormatError("this row has 3 columns, the header has 4", line: 4, column: 4))
    }

    @Test func tooManyColumnsOnALaterLine() {
        let error = failure("id,slug,view_count,title\n1,a,1,A\n2,b,2,B,extra\n")
        #expect(error == SnapshotFormatError("this row has 5 columns, the header has 4", line: 3, column: 5))
    }

    @Test func wrongColumnCountWithoutHeader() {
        let error = failure("1,a,1,A\r\n2,b,2,\"B\r\nstill B\"\r\n3,c,3,C,\r\n")
        #expect(error == SnapshotFormatError("this row has 5 columns, the first row has 4", line: 4, column: 5))
    }

    @Test func firstRowWithoutHeaderNeedsFourColumns() {
        let error = failure("1,a,1\n")
        #expect(
            error
                == SnapshotFormatError(
                    "expected 4 columns (id,slug,view_count,title) or a header row, found 3", line: 1))
        #expect(failure("\n\nhello\n")?.line == 3)
    }

    @Test func headerMissingViewCount() {
        let error = failure("id,slug,views,title\n1,a,1,A\n")
        #expect(
            error
                == SnapshotFormatError(
                    "the header has no \"view_count\" column (it has: id, slug, views, title)", line: 1,
                    field: "view_count"))
    }

    @Test func headerMissingID() {
        let error = failure("\r\npost_id,slug,view_count,title\r\n1,a,1,A\r\n")
        #expect(
            error
                == SnapshotFormatError(
                    "the header has no \"id\" column (it has: post_id, slug, view_count, title)", line: 2, field: "id"))
    }

    @Test("a header naming a column twice", arguments: ["id", "slug", "view_count", "title", "blog"])
    func headerNamingAColumnTwice(_ name: String) {
        let error = failure("id,slug,view_count,title,blog,\(name.uppercased())\n1,a,1,A,b,x\n")
        #expect(
            error == SnapshotFormatError("the header names column \"\(name)\" twice", line: 1, column: 6, field: name))
    }

    @Test func unknownColumnsMayRepeat() throws {
        let rows = try parse("id,note,view_count,note\n1,x,2,y\n")
        #expect(rows == [row("1", "", 2, "", line: 2)])
    }

    @Test func invalidUTF8InATitleOnLine4() {
        let body =
            Array("id,slug,view_count,title\n1,a,1,A\n2,b,2,B\n3,c,3,bad ".utf8) + [0xC3, 0x28] + Array(" title\n".utf8)
        let error = failure(body)
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
        #expect(failure(quoted) == SnapshotFormatError("invalid UTF-8 in title", line: 2, column: 4, field: "title"))
        let inSlug = Array("id,slug,view_count,title\n1,".utf8) + sequence + Array(",1,t\n".utf8)
        #expect(failure(inSlug) == SnapshotFormatError("invalid UTF-8 in slug", line: 2, column: 2, field: "slug"))
        let inID = Array("1,a,1,t\n".utf8) + sequence + Array(",a,1,t\n".utf8)
        #expect(failure(inID) == SnapshotFormatError("invalid UTF-8 in id", line: 2, column: 1, field: "id"))
    }

    @Test func invalidUTF8InTheHeader() {
        let body = Array("id,slug,view_count,ti".utf8) + [0xC0, 0xAF] + Array("tle\n1,a,1,t\n".utf8)
        #expect(failure(body) == SnapshotFormatError("invalid UTF-8 in the header", line: 1, column: 4))
    }

    @Test func invalidUTF8InAHeaderlessFirstRowNamesTheField() {
        let body = Array("1,a,1,".utf8) + [0xC3, 0x28] + Array("\n".utf8)
        #expect(failure(body) == SnapshotFormatError("invalid UTF-8 in title", line: 1, column: 4, field: "title"))
    }

    @Test func invalidUTF8InAnIgnoredColumnIsNotAnError() throws {
        let body = Array("id,view_count,notes\n1,2,".utf8) + [0xFF] + Array("\n".utf8)
        #expect(try SnapshotCSV.parse(body) == [row("1", "", 2, "", line: 2)])
    }

    @Test func errorsAsJSON() {
        let error = failure("id,slug,view_count,title\n1,a,1,A\n2,b,2,B\n3,c,12a,C\n")
        #expect(
            String(decoding: error?.json ?? [], as: UTF8.self)
                == #"{"error":"view_count is not a number: \"12a\"","line":4,"column":3,"field":"view_count"}"#)
    }
}
