import BlogStatsCore
import BlogStatsSQLite
import Foundation
import Testing

@testable import BlogStatsStore

@Suite struct SchemaTests {
    @Test func aVersionOneStoreIsMigratedAndKeepsItsData() throws {
        let fixture = try StoreFixture()
        fixture.store.close()
        // Build the file as the first schema version left it.
        try FileManagerHelper.remove(fixture.path)
        let old = try Database(path: fixture.path)
        try Schema.migrate(old, upTo: 1)
        try old.execute(
            """
            INSERT INTO blogs VALUES (1, 'default');
            INSERT INTO posts VALUES (1, 1, 'a', 1000);
            INSERT INTO snapshots VALUES (1, 1000, 1, 5, 0);
            INSERT INTO samples VALUES (1, 1000, 5);
            INSERT INTO names VALUES (1, 1000, 'slug-a', 'Title a');
            """)
        #expect(try old.integer("PRAGMA user_version") == 1)
        old.close()

        try fixture.reopen()
        #expect(try fixture.query("PRAGMA user_version") == ["\(Schema.currentVersion)"])
        #expect(try fixture.query("SELECT t FROM snapshots") == ["1000"])
        #expect(try fixture.query("SELECT count(*) FROM snapshot_hashes") == ["0"])
        // A replay of the old snapshot is still recognised (its hash is rebuilt from samples)…
        #expect(try fixture.push(1000, [row("a", 5)]).duplicate)
        // …and different content at its time is still a conflict.
        #expect(throws: StoreError.conflict(blog: "default", capturedAt: 1000)) {
            try fixture.push(1000, [row("a", 6)])
        }
        let next = try fixture.push(1060, [row("a", 6)])
        #expect(next.changed == 1)
        #expect(try fixture.samples() == ["a|1000|5", "a|1060|6"])
    }

    /// A store holding `history` as this version ingests it, and a file at schema `version` whose
    /// tables `copy` fills from it (attached as `ref`), reopened so that it is migrated.
    private func migrated(
        _ history: [(Int64, [SnapshotRow])], from version: Int, copy: String
    ) throws -> (reference: StoreFixture, old: StoreFixture) {
        let reference = try StoreFixture()
        for (time, rows) in history { try reference.push(time, rows) }
        reference.store.close()
        let old = try StoreFixture()
        old.store.close()
        try FileManagerHelper.remove(old.path)
        let database = try Database(path: old.path)
        try Schema.migrate(database, upTo: Int64(version))
        try database.execute(
            """
            ATTACH DATABASE '\(reference.path)' AS ref;
            INSERT INTO blogs SELECT * FROM ref.blogs;
            INSERT INTO posts SELECT * FROM ref.posts;
            INSERT INTO names SELECT * FROM ref.names;
            \(copy)
            DETACH DATABASE ref;
            """)
        database.close()
        try old.reopen()
        try reference.reopen()
        return (reference, old)
    }

    /// A snapshot's content hash, as it was kept in `snapshots` before version 8.
    private static let oldHash =
        "(SELECT hash FROM ref.snapshot_hashes h WHERE h.blog_key = s.blog_key AND h.t = s.t)"

    @Test func runningTotalsAreBackfilledFromVersionTwo() throws {
        // The same rows in a version-2 file must get the totals this version computes.
        let (reference, old) = try migrated(
            LateSnapshotTests.history(seed: 11, snapshots: 10, posts: 7), from: 2,
            copy: """
                INSERT INTO snapshots SELECT blog_key, t, rows, total_views, gained, \(Self.oldHash) FROM ref.snapshots s;
                INSERT INTO samples SELECT post_key, t, views FROM ref.samples;
                """)
        #expect(try old.totals() == reference.totals())
        #expect(try old.snapshotTotals() == reference.snapshotTotals())
    }

    @Test func contentHashesMoveToTheirOwnTableFromVersionSeven() throws {
        let history = LateSnapshotTests.history(seed: 5, snapshots: 6, posts: 4)
        let (reference, old) = try migrated(
            history, from: 7,
            copy: """
                INSERT INTO samples SELECT * FROM ref.samples;
                INSERT INTO snapshots(blog_key, t, rows, total_views, gained, content_hash, gained_total)
                  SELECT blog_key, t, rows, total_views, gained, \(Self.oldHash), gained_total FROM ref.snapshots s;
                """)
        let hashes = "SELECT blog_key, t, hash FROM snapshot_hashes ORDER BY 1, 2"
        #expect(try old.query(hashes).count == 6)
        #expect(try old.query(hashes) == reference.query(hashes))
        #expect(try old.query("SELECT name FROM pragma_table_info('snapshots') WHERE name = 'content_hash'") == [])
        #expect(try old.snapshotTotals() == reference.snapshotTotals())
        // The kept hashes still recognise a replay, and tell different content apart.
        let (time, rows) = history[2]
        #expect(try old.push(time, rows).duplicate)
        #expect(throws: StoreError.conflict(blog: "default", capturedAt: time)) {
            try old.push(
                time,
                rows.map {
                    var row = $0
                    row.views += 1
                    return row
                })
        }
    }

    @Test func aStoreFromANewerVersionIsRefused() throws {
        let fixture = try StoreFixture()
        fixture.store.close()
        let database = try Database(path: fixture.path)
        try database.execute("PRAGMA user_version = \(Schema.currentVersion + 1)")
        database.close()
        #expect {
            _ = try SQLiteStore(path: fixture.path)
        } throws: { error in
            "\(error)".contains("newer blogstats")
        }
    }

    @Test func theStoreUsesWALAndFullSync() throws {
        let fixture = try StoreFixture()
        #expect(try fixture.query("PRAGMA journal_mode") == ["wal"])
    }
}

enum FileManagerHelper {
    static func remove(_ path: String) throws {
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
            try FileManager.default.removeItem(atPath: path + suffix)
        }
    }
}
