import BlogStatsCore
import Testing

@testable import BlogStatsStore

/// Snapshots read from a body (rows as byte ranges, as the receiver stores them) must leave
/// exactly what the same rows given as text leave.
@Suite struct PackedIngestTests {
    /// A body as `sqlite3 .mode csv` writes it: quoted where needed, quotes doubled.
    static func csv(_ rows: [SnapshotRow]) -> [UInt8] {
        func cell(_ text: String) -> String {
            guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == " " }) else { return text }
            return "\"" + text.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
        }
        var text = "id,slug,view_count,title\n"
        for row in rows {
            text += [cell(row.id), cell(row.slug), String(row.views), cell(row.title)].joined(separator: ",") + "\n"
        }
        return Array(text.utf8)
    }

    static func parsed(_ time: Int64, _ rows: [SnapshotRow], explicit: Bool = true) throws -> Snapshot {
        let snapshots = try Snapshot.parse(csv(rows), defaultBlog: "default", capturedAt: time, explicitTime: explicit)
        #expect(snapshots.count == 1)
        return snapshots[0]
    }

    /// A history with names that need escaping, empty slugs and rows that move around.
    static func history(seed: UInt64) -> [(Int64, [SnapshotRow])] {
        var generator = SplitMix(seed: seed)
        return LateSnapshotTests.history(seed: seed, snapshots: 10, posts: 40).map { time, rows in
            var rows = rows.map { row in
                var row = row
                let post = Int(row.id.dropFirst())!
                if post % 3 == 0 { row.title = "Say \"hi\", \(row.slug) 🚆" }
                if post % 5 == 0 { row.title = "two\nlines \(row.slug)" }
                if post % 7 == 0 { row.slug = "" }
                if post % 11 == 0 { row.id = "id \"\(post)\"" }
                return row
            }
            // Some rows move: a few swaps and one to the front, as changing counts reorder a
            // `order by view_count desc` export.
            for _ in 0..<3 where rows.count > 2 {
                let index = Int(generator.next() % UInt64(rows.count - 1))
                rows.swapAt(index, index + 1)
            }
            if rows.count > 5 { rows.insert(rows.remove(at: Int(generator.next() % UInt64(rows.count))), at: 0) }
            return (time, rows)
        }
    }

    func expectSameStores(_ packed: StoreFixture, _ text: StoreFixture) throws {
        #expect(try packed.samples() == text.samples())
        #expect(try packed.names() == text.names())
        #expect(try packed.snapshots() == text.snapshots())
        #expect(try packed.totals() == text.totals())
        #expect(
            try packed.query("SELECT t, hash FROM snapshot_hashes ORDER BY 1")
                == text.query("SELECT t, hash FROM snapshot_hashes ORDER BY 1"))
        #expect(
            try packed.query("SELECT id, first_seen FROM posts ORDER BY id")
                == text.query("SELECT id, first_seen FROM posts ORDER BY id"))
    }

    @Test(arguments: Array(1...6) as [UInt64])
    func packedAndTextSnapshotsStoreTheSame(seed: UInt64) throws {
        let history = Self.history(seed: seed)
        let packed = try StoreFixture()
        let text = try StoreFixture()
        for (time, rows) in history {
            let fromBody = try packed.store.ingest([try Self.parsed(time, rows)])
            let fromText = try text.store.ingest([
                Snapshot(blog: "default", capturedAt: time, explicitTime: true, rows: rows)
            ])
            #expect(fromBody == fromText)
        }
        try expectSameStores(packed, text)

        // A late snapshot, a re-sent one (duplicate) and a different one at a stored time (409).
        let late = (history[3].0 + 30, history[4].1)
        #expect(try packed.store.ingest([Self.parsed(late.0, late.1)]) == text.push(late.0, late.1).asArray)
        let resent = try packed.store.ingest([Self.parsed(history[5].0, history[5].1)])
        #expect(resent.map(\.duplicate) == [true])
        var changed = history[5].1
        changed[0].title += " (edited)"
        #expect(throws: StoreError.conflict(blog: "default", capturedAt: history[5].0)) {
            try packed.store.ingest([Self.parsed(history[5].0, changed)])
        }
        try expectSameStores(packed, text)

        // The in-memory state agrees too: one more snapshot, as text into both.
        let next = history.last!.0 + 60
        let rows = history.last!.1.map { row in
            var row = row
            row.views += 1
            return row
        }
        #expect(try packed.push(next, rows) == text.push(next, rows))
        try expectSameStores(packed, text)
    }

    @Test func theFirstSnapshotStoresNamesAsTextEvenWhenEmpty() throws {
        let store = try StoreFixture()
        let rows = [
            SnapshotRow(id: "a", slug: "", title: "", views: 3),
            SnapshotRow(id: "b", slug: "b-slug", title: "Quoted \"b\", with comma", views: 5),
        ]
        let summary = try store.store.ingest([Self.parsed(60, rows)])
        #expect(summary.map(\.new) == [2])
        #expect(
            try store.query("SELECT typeof(slug), typeof(title) FROM names ORDER BY post_key") == [
                "text|text", "text|text",
            ])
        #expect(try store.names() == ["a|60||", "b|60|b-slug|Quoted \"b\", with comma"])

        // The same names read from another body again are unchanged: no name record, no sample.
        let again = try store.store.ingest([Self.parsed(120, rows)])
        #expect(again.map(\.changed) == [0])
        #expect(try store.names().count == 2)
        // Only the title's text inside the quotes changed: a new name record for b alone.
        var renamed = rows
        renamed[1].title = "Quoted \"B\", with comma"
        _ = try store.store.ingest([Self.parsed(180, renamed)])
        #expect(try store.names().last == "b|180|b-slug|Quoted \"B\", with comma")
        #expect(try store.names().count == 3)
        #expect(try store.samples() == ["a|60|3", "b|60|5"])
    }

    @Test func aLargeFirstSnapshotAndAReorderedSecond() throws {
        let store = try StoreFixture()
        let rows = (0..<20_000).map {
            SnapshotRow(id: "post-\($0)", slug: "s-\($0)", title: "T \($0)", views: Int64($0))
        }
        #expect(try store.store.ingest([Self.parsed(60, rows)]).map(\.new) == [20_000])
        // Reversed order, every tenth count up: exactly those get samples.
        let next = rows.reversed().map { row in
            var row = row
            if Int(row.id.dropFirst(5))! % 10 == 0 { row.views += 1 }
            return row
        }
        let summary = try store.store.ingest([Self.parsed(120, next)])
        #expect(summary.map(\.changed) == [2_000])
        #expect(summary.map(\.new) == [0])
        #expect(try store.query("SELECT count(*) FROM samples WHERE t = 120") == ["2000"])
        #expect(try store.query("SELECT count(*) FROM names") == ["20000"])
    }
}

extension IngestSummary {
    fileprivate var asArray: [IngestSummary] { [self] }
}
