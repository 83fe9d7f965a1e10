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
        #expect(try fixture.query("SELECT t, content_hash FROM snapshots") == ["1000|∅"])
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

    @Test func runningTotalsAreBackfilledFromVersionTwo() throws {
        // A history ingested by this version is the reference…
        let reference = try StoreFixture()
        for (time, rows) in LateSnapshotTests.history(seed: 11, snapshots: 10, posts: 7) {
            try reference.push(time, rows)
        }
        reference.store.close()
        // …and the same rows in a version-2 file must get the same totals when migrated.
        let old = try StoreFixture()
        old.store.close()
        try FileManagerHelper.remove(old.path)
        let database = try Database(path: old.path)
        try Schema.migrate(database, upTo: 2)
        try database.execute(
            """
            ATTACH DATABASE '\(reference.path)' AS ref;
            INSERT INTO blogs SELECT * FROM ref.blogs;
            INSERT INTO posts SELECT * FROM ref.posts;
            INSERT INTO names SELECT * FROM ref.names;
            INSERT INTO snapshots SELECT blog_key, t, rows, total_views, gained, content_hash FROM ref.snapshots;
            INSERT INTO samples SELECT post_key, t, views FROM ref.samples;
            DETACH DATABASE ref;
            """)
        database.close()
        try old.reopen()
        #expect(try old.totals() == reference.totals())
        #expect(try old.snapshotTotals() == reference.snapshotTotals())
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
