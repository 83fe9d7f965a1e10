import Foundation
import Testing

@testable import BlogStatsCore

@Suite("SnapshotCSV: well-formed bodies")
struct SnapshotCSVParseTests {
    @Test func withHeader() throws {
        let rows = try csvParse("id,slug,view_count,title\n1,hello,10,Hello\n2,world,20,World\n")
        #expect(rows == [csvRow("1", "hello", 10, "Hello", line: 2), csvRow("2", "world", 20, "World", line: 3)])
    }

    @Test func withoutHeader() throws {
        let rows = try csvParse("1,hello,10,Hello\n2,world,20,World\n")
        #expect(rows == [csvRow("1", "hello", 10, "Hello", line: 1), csvRow("2", "world", 20, "World", line: 2)])
    }

    @Test("line ends and the final newline", arguments: ["\n", "\r\n"], [true, false])
    func lineEnds(_ newline: String, _ finalNewline: Bool) throws {
        var text = ["id,slug,view_count,title", "a,s1,1,T1", "b,s2,22,T2", "c,s3,333,T3"].joined(separator: newline)
        if finalNewline { text += newline }
        let rows = try csvParse(text)
        #expect(
            rows == [
                csvRow("a", "s1", 1, "T1", line: 2), csvRow("b", "s2", 22, "T2", line: 3),
                csvRow("c", "s3", 333, "T3", line: 4),
            ])
    }

    @Test("a quoted last cell with and without the final line end", arguments: ["", "\n", "\r\n"])
    func quotedLastCell(_ end: String) throws {
        let rows = try csvParse("1,s,5,\"a, b\"\r\n2,t,6,\"c\"\(end)")
        #expect(rows == [csvRow("1", "s", 5, "a, b", line: 1), csvRow("2", "t", 6, "c", line: 2)])
    }

    @Test func aLoneCarriageReturnAtTheEndOfTheBody() throws {
        #expect(try csvParse("id,slug,view_count,title\r\n1,a,1,T\r") == [csvRow("1", "a", 1, "T", line: 2)])
        #expect(try csvParse("title,id,view_count\r\nT,1,5\r") == [csvRow("1", "", 5, "T", line: 2)])
        #expect(try csvParse("1,a,1,\"T\"\r") == [csvRow("1", "a", 1, "T", line: 1)])
        // Anywhere else a carriage return is part of the cell.
        #expect(try csvParse("1,a\r,1,T\n") == [csvRow("1", "a\r", 1, "T", line: 1)])
    }

    @Test func emptyBodyAndHeaderOnlyHaveNoRows() throws {
        #expect(try csvParse("").isEmpty)
        #expect(try csvParse("\n\r\n").isEmpty)
        #expect(try csvParse("id,slug,view_count,title\r\n").isEmpty)
        #expect(try csvParse("\u{FEFF}id,slug,view_count,title").isEmpty)
    }

    @Test func blankLinesAreSkippedButCounted() throws {
        let rows = try csvParse("\nid,slug,view_count,title\n\n1,a,1,A\r\n\r\n\n2,b,2,B\n\n")
        #expect(rows == [csvRow("1", "a", 1, "A", line: 4), csvRow("2", "b", 2, "B", line: 7)])
    }

    @Test func quotedFieldsWithSeparatorsAndDoubledQuotes() throws {
        let text =
            "id,slug,view_count,title\n" + #"1,"a,b",3,"Hello, world""# + "\n" + #"2,s,4,"He said ""hi"", then left""#
            + "\n" + #"3,s3,5,"""""# + "\n" + #"4,s4,6,"x"",""y""# + "\n" + #""5","s5","7","""# + "\n"
        let rows = try csvParse(text)
        #expect(
            rows == [
                csvRow("1", "a,b", 3, "Hello, world", line: 2),
                csvRow("2", "s", 4, "He said \"hi\", then left", line: 3),
                csvRow("3", "s3", 5, "\"", line: 4),
                csvRow("4", "s4", 6, "x\",\"y", line: 5),
                csvRow("5", "s5", 7, "", line: 6),
            ])
    }

    @Test func unquotedCellsKeepStrayQuotesLiterally() throws {
        let rows = try csvParse("1,s,5,He said \"hi\"\n")
        #expect(rows == [csvRow("1", "s", 5, "He said \"hi\"", line: 1)])
    }

    @Test func embeddedNewlinesShiftTheFollowingLineNumbers() throws {
        let text =
            "id,slug,view_count,title\n1,a,1,\"first\nsecond\nthird\"\n2,b,2,B\n3,\"multi\nline slug\",3,C\n4,d,4,D\n"
        let rows = try csvParse(text)
        #expect(
            rows == [
                csvRow("1", "a", 1, "first\nsecond\nthird", line: 2),
                csvRow("2", "b", 2, "B", line: 5),
                csvRow("3", "multi\nline slug", 3, "C", line: 6),
                csvRow("4", "d", 4, "D", line: 8),
            ])
    }

    @Test func crlfInsideAQuotedFieldIsKept() throws {
        let text = "id,slug,view_count,title\r\n1,a,1,\"one\r\ntwo\"\r\n2,b,2,\"\r\n\"\r\n3,c,3,C\r\n"
        let rows = try csvParse(text)
        #expect(
            rows == [
                csvRow("1", "a", 1, "one\r\ntwo", line: 2),
                csvRow("2", "b", 2, "\r\n", line: 4),
                csvRow("3", "c", 3, "C", line: 6),
            ])
    }

    @Test func lineNumbersAfterEmbeddedNewlinesInErrors() {
        let error = csvFailure("id,slug,view_count,title\n1,a,1,\"x\ny\nz\"\n2,b,oops,B\n")
        #expect(
            error
                == SnapshotFormatError("view_count is not a number: \"oops\"", line: 5, column: 3, field: "view_count"))
    }

    @Test func draftsHaveEmptySlugsAndTitlesMayBeEmpty() throws {
        let rows = try csvParse("id,slug,view_count,title\ndraft1,,0,Untitled draft\np2,post,3,\np3,,4,\"\"\n")
        #expect(
            rows == [
                csvRow("draft1", "", 0, "Untitled draft", line: 2),
                csvRow("p2", "post", 3, "", line: 3),
                csvRow("p3", "", 4, "", line: 4),
            ])
    }

    @Test("a UTF-8 byte order mark is ignored", arguments: [true, false])
    func byteOrderMark(_ header: Bool) throws {
        let body = [0xEF, 0xBB, 0xBF] + Array(((header ? "id,slug,view_count,title\r\n" : "") + "7,s,8,T\r\n").utf8)
        let rows = try csvParse(body)
        #expect(rows == [csvRow("7", "s", 8, "T", line: header ? 2 : 1)])
    }

    @Test func byteOrderMarkBeforeAQuotedHeader() throws {
        let rows = try csvParse([0xEF, 0xBB, 0xBF] + Array("\"id\",\"view_count\"\n\"x\",9\n".utf8))
        #expect(rows == [csvRow("x", "", 9, "", line: 2)])
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
        let rows = try csvParse(text)
        #expect(rows.map(\.title) == titles)
        #expect(rows.map(\.slug) == (0..<titles.count).map { "slug-ü-\($0)" })
    }

    @Test func columnsInAnotherOrder() throws {
        let rows = try csvParse("title,view_count,id,slug\nHello,10,abc,hello\n\"World, again\",0,def,\n")
        #expect(rows == [csvRow("abc", "hello", 10, "Hello", line: 2), csvRow("def", "", 0, "World, again", line: 3)])
    }

    @Test func headerNamesAreCaseInsensitiveAndTrimmed() throws {
        let rows = try csvParse("ID , Slug,\tVIEW_COUNT,Title \n1,s,2,t\n")
        #expect(rows == [csvRow("1", "s", 2, "t", line: 2)])
    }

    @Test func extraColumnsAreIgnored() throws {
        let text = "created,id,author,slug,view_count,title,updated\n2026-01-01,1,me,s,5,T,\"x,y\"\n,2,,s2,6,T2,\n"
        let rows = try csvParse(text)
        #expect(rows == [csvRow("1", "s", 5, "T", line: 2), csvRow("2", "s2", 6, "T2", line: 3)])
    }

    @Test func extraColumnsWithoutHeaderAreIgnored() throws {
        let rows = try csvParse("1,s,5,T,extra,more\n2,t,6,U,x,y\n")
        #expect(rows == [csvRow("1", "s", 5, "T", line: 1), csvRow("2", "t", 6, "U", line: 2)])
    }

    @Test func optionalBlogColumn() throws {
        let rows = try csvParse("blog,id,slug,view_count,title\nnews,1,s,5,T\n,2,t,6,U\nart,1,u,7,V\n")
        #expect(
            rows == [
                csvRow("1", "s", 5, "T", blog: "news", line: 2),
                csvRow("2", "t", 6, "U", blog: "", line: 3),
                csvRow("1", "u", 7, "V", blog: "art", line: 4),
            ])
    }

    @Test func headerWithOnlyIDAndViewCount() throws {
        let rows = try csvParse("view_count,id\n12,a\n0,b\n")
        #expect(rows == [csvRow("a", "", 12, "", line: 2), csvRow("b", "", 0, "", line: 3)])
    }

    @Test func viewCountLimitsAndQuotedNumbers() throws {
        let rows = try csvParse("id,view_count\na,0\nb,9223372036854775807\nc,\"42\"\nd,007\n")
        #expect(rows.map(\.views) == [0, Int64.max, 42, 7])
    }

    @Test func tabSeparatedLikeMySQLBatch() throws {
        // `mysql --batch -e "select id, slug, view_count, title from posts"`
        let text =
            "id\tslug\tview_count\ttitle\nabc\thello-world\t1234\tHello, world\ndef\t\t0\tA draft; with, commas\n"
        let rows = try csvParse(text, separator: csvTab)
        #expect(
            rows == [
                csvRow("abc", "hello-world", 1234, "Hello, world", line: 2),
                csvRow("def", "", 0, "A draft; with, commas", line: 3),
            ])
    }

    @Test func tabSeparatedErrorsNameTheColumn() {
        #expect(
            csvFailure("id\tslug\tview_count\ttitle\n1\ts\t5x\tT\n", separator: csvTab)
                == SnapshotFormatError("view_count is not a number: \"5x\"", line: 2, column: 3, field: "view_count"))
    }

    @Test("mysql --batch output: no quoting, backslash escapes")
    func mysqlBatchEscapes() throws {
        // mysql --batch does not quote cells: it escapes csvTab, newline and backslash as \t, \n and \\.
        // A title that starts with a quote is therefore a plain cell, and "C:\\dir" means `C:\dir`.
        let text = "id\tslug\tview_count\ttitle\n1\ts\t5\t\"Quoted\" start\n2\tt\t6\tC:\\\\dir\\nnext\n"
        let rows = try csvParse(text, separator: csvTab)
        #expect(
            rows == [csvRow("1", "s", 5, "\"Quoted\" start", line: 2), csvRow("2", "t", 6, "C:\\dir\nnext", line: 3)])
    }

    @Test func headerlessFirstRowThatMentionsID() throws {
        // A post titled "ID" (or with the slug "id") must not turn the first data row into a header.
        let rows = try csvParse("1,id,10,ID\n2,view_count,20,view_count\n")
        #expect(rows == [csvRow("1", "id", 10, "ID", line: 1), csvRow("2", "view_count", 20, "view_count", line: 2)])
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
        let rows = try csvParse(body)
        #expect(rows.count == 100_000)
        #expect(rows.first == csvRow("p0", "slug-0", 0, "Title 0", line: 2))
        #expect(rows[998] == csvRow("p998", "slug-998", 6986, "Title 998", line: 1000))
        #expect(rows[999] == csvRow("p999", "slug-999", 6993, "Title, \"999\"\nsecond line", line: 1001))
        #expect(rows[1000] == csvRow("p1000", "slug-1000", 7000, "Title 1000", line: 1003))
        // 99 multi-line titles before the last row, each adding one line.
        #expect(
            rows.last == csvRow("p99999", "slug-99999", 699_993, "Title, \"99999\"\nsecond line", line: 100_001 + 99))
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

        let rows = try csvParse(output.stdout)
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
