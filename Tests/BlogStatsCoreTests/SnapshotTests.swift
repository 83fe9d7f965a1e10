import Testing

@testable import BlogStatsCore

private func row(_ id: String, _ views: Int64, blog: String = "", line: Int) -> SnapshotRow {
    SnapshotRow(id: id, slug: "s-\(id)", title: "T \(id)", views: views, blog: blog, line: line)
}

private func groupError(_ rows: [SnapshotRow], defaultBlog: String = "default") -> SnapshotFormatError? {
    do {
        _ = try Snapshot.group(rows, defaultBlog: defaultBlog, capturedAt: 0, explicitTime: false)
        return nil
    } catch {
        return error
    }
}

@Suite("Snapshot.group")
struct SnapshotGroupTests {
    @Test func oneBlogWithoutABlogColumn() throws {
        let rows = [row("1", 10, line: 2), row("2", 20, line: 3), row("3", 0, line: 4)]
        let snapshots = try Snapshot.group(rows, defaultBlog: "main", capturedAt: 1_796_314_800, explicitTime: true)
        #expect(snapshots == [Snapshot(blog: "main", capturedAt: 1_796_314_800, explicitTime: true, rows: rows)])
    }

    @Test func anEmptySnapshotStillNamesItsBlog() throws {
        let snapshots = try Snapshot.group([], defaultBlog: "default", capturedAt: 42, explicitTime: false)
        #expect(snapshots == [Snapshot(blog: "default", capturedAt: 42, explicitTime: false, rows: [])])
    }

    @Test func duplicateIDNamesBothLines() {
        let rows = [row("7", 1, line: 2), row("8", 2, line: 3), row("7", 3, line: 5)]
        let error = groupError(rows)
        #expect(error == SnapshotFormatError("duplicate id \"7\" (first on line 2)", line: 5, field: "id"))
        #expect(error?.description == "duplicate id \"7\" (first on line 2) (line 5)")
    }

    @Test func duplicateIDsFromParsedCSV() throws {
        let parsed = try SnapshotCSV.parse(
            Array("id,slug,view_count,title\na,x,1,\"multi\nline\"\nb,y,2,B\na,z,3,C\n".utf8))
        #expect(groupError(parsed) == SnapshotFormatError("duplicate id \"a\" (first on line 2)", line: 5, field: "id"))
    }

    @Test func duplicateAmongManyRows() throws {
        var rows = (0..<50_000).map {
            SnapshotRow(id: "post-\($0)", slug: "", title: "", views: Int64($0), line: $0 + 2)
        }
        #expect(
            try Snapshot.group(rows, defaultBlog: "default", capturedAt: 0, explicitTime: false).first?.rows.count
                == 50_000)
        rows.append(SnapshotRow(id: "post-31337", slug: "", title: "", views: 0, line: 50_002))
        #expect(
            groupError(rows)
                == SnapshotFormatError("duplicate id \"post-31337\" (first on line 31339)", line: 50_002, field: "id"))
    }

    @Test func idsAreCaseSensitive() throws {
        let rows = [row("Abc", 1, line: 1), row("abc", 2, line: 2)]
        #expect(
            try Snapshot.group(rows, defaultBlog: "default", capturedAt: 0, explicitTime: false).first?.rows.count == 2)
    }

    @Test func blogColumnSplitsInFirstSeenOrder() throws {
        let rows = [
            row("1", 10, blog: "news", line: 2),
            row("1", 11, blog: "", line: 3),
            row("2", 12, blog: "art", line: 4),
            row("2", 13, blog: "news", line: 5),
            row("3", 14, blog: "", line: 6),
            row("1", 15, blog: "art", line: 7),
            row("4", 16, blog: "default", line: 8),
        ]
        let snapshots = try Snapshot.group(rows, defaultBlog: "default", capturedAt: 99, explicitTime: true)
        #expect(snapshots.map(\.blog) == ["news", "default", "art"])
        #expect(snapshots.map { $0.rows.map(\.line) } == [[2, 5], [3, 6, 8], [4, 7]])
        #expect(snapshots.allSatisfy { $0.capturedAt == 99 && $0.explicitTime })
        // Rows keep their own blog cell; the snapshot says which blog they belong to.
        #expect(snapshots[1].rows.map(\.blog) == ["", "", "default"])
    }

    @Test func theSameIDInTwoBlogsIsNotADuplicate() throws {
        let rows = [row("1", 1, blog: "a", line: 1), row("1", 2, blog: "b", line: 2), row("1", 3, line: 3)]
        let snapshots = try Snapshot.group(rows, defaultBlog: "c", capturedAt: 0, explicitTime: false)
        #expect(snapshots.map(\.blog) == ["a", "b", "c"])
        #expect(snapshots.map { $0.rows.count } == [1, 1, 1])
    }

    @Test func duplicateIDWithinOneOfSeveralBlogs() {
        let rows = [
            row("1", 1, blog: "a", line: 2), row("1", 2, blog: "b", line: 3), row("2", 3, blog: "b", line: 4),
            row("1", 4, blog: "b", line: 6),
        ]
        #expect(groupError(rows) == SnapshotFormatError("duplicate id \"1\" (first on line 3)", line: 6, field: "id"))
    }

    @Test func anEmptyBlogCellAndTheDefaultNameAreTheSameBlog() {
        let rows = [row("1", 1, blog: "", line: 2), row("1", 2, blog: "main", line: 3)]
        #expect(
            groupError(rows, defaultBlog: "main")
                == SnapshotFormatError("duplicate id \"1\" (first on line 2)", line: 3, field: "id"))
    }

    @Test(
        "invalid blog names in a blog cell",
        arguments: [
            "my blog", "a/b", "../etc", String(repeating: "x", count: 101), "café", "tab\there", "semi;colon", "a\u{0}",
            ".", "..",
        ])
    func invalidBlogCell(_ name: String) {
        let rows = [row("1", 1, blog: "ok", line: 2), row("2", 2, blog: name, line: 3)]
        let error = groupError(rows)
        #expect(error?.line == 3)
        #expect(error?.column == nil)
        #expect(error?.field == "blog")
        #expect(
            error?.message
                == "blog name \"\(name.prefix(100))\" is not valid (1–100 letters, digits, '-', '_' or '.')")
    }

    @Test("invalid default blog names", arguments: ["", " ", "my blog", "a/b", String(repeating: "b", count: 101)])
    func invalidDefaultBlog(_ name: String) {
        let error = groupError([row("1", 1, line: 1)], defaultBlog: name)
        #expect(
            error
                == SnapshotFormatError(
                    "blog name \"\(name.prefix(100))\" is not valid (1–100 letters, digits, '-', '_' or '.')",
                    field: "blog"))
    }

    @Test(
        "valid blog names", arguments: ["a", "default", "My-Blog_2.0", "0", String(repeating: "z", count: 100), "..."])
    func validBlogNames(_ name: String) throws {
        try BlogName.validate(name, field: "blog")
        let snapshots = try Snapshot.group(
            [row("1", 1, blog: name, line: 1)], defaultBlog: "d", capturedAt: 0, explicitTime: false)
        #expect(snapshots.map(\.blog) == [name])
    }

    @Test func blogNameValidationNamesTheField() {
        do {
            try BlogName.validate("bad name", field: "?blog")
            Issue.record("a name with a space was accepted")
        } catch {
            #expect(error.field == "?blog")
            #expect(error.line == nil)
        }
    }
}
