import Testing

/// The WriteFreely scan copies ASCII rows straight from SQLite's buffers and sends every
/// other row through `String`: both must write the same CSV as before, invalid UTF-8 repaired.
@Suite struct RowBytesTests {
    @Test func asciiUnicodeAndInvalidUTF8RowsAreWrittenAsSQLiteTextDecodes() async throws {
        let directory = try TemporaryDirectory()
        let database = directory.path("writefreely.db")
        try await WriteFreelyFixture.create(
            database,
            posts: [
                WriteFreelyPost(id: "ascii00001", slug: "plain", collection: 1, views: 3, title: "Plain, \"quoted\""),
                WriteFreelyPost(id: "unicode001", slug: "ue", collection: 1, views: 4, title: "Ünïcode, 🎉"),
            ])
        // Bytes that are not UTF-8 in a title and in a slug (a blob cast to text, as a bad import leaves them).
        try await Command.sqlite(
            database,
            """
            INSERT INTO posts (id, slug, privacy, owner_id, collection_id, created, updated, view_count, title, content)
              VALUES ('badutf8001', 'bad', 0, 1, 1, '2024-05-01', '2024-05-01', 5, CAST(X'48C328' AS TEXT), ''),
                     ('badutf8002', CAST(X'FF61' AS TEXT), 0, 1, 1, '2024-05-01', '2024-05-01', 6, 'ok', '');

            """)
        let result = try await Command.blogstats(["push", "--writefreely", database, "--blog", "notes", "--dry-run"])
        #expect(result.status == 0, "\(result.summary)")
        let csv = String(decoding: result.stdout, as: UTF8.self)
        let expected = [
            "id,slug,view_count,title",
            #"ascii00001,plain,3,"Plain, ""quoted""""#,
            #"unicode001,ue,4,"Ünïcode, 🎉""#,
            "badutf8001,bad,5,H\u{FFFD}(",
            "badutf8002,\u{FFFD}a,6,ok",
        ]
        #expect(csv == expected.joined(separator: "\n") + "\n", "\(csv)")
    }
}
