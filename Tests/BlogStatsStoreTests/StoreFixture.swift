import BlogStatsCore
import BlogStatsSQLite
import Foundation

@testable import BlogStatsStore

/// A store file in a fresh temporary directory, and ways to read back exactly what it holds.
final class StoreFixture {
    let directory: URL
    let path: String
    var store: SQLiteStore
    let outbox: Bool?

    init(outbox: Bool? = nil) throws {
        self.outbox = outbox
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "blogstats-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        path = directory.appendingPathComponent("store.db").path
        store = try SQLiteStore(path: path, outbox: outbox)
    }

    deinit {
        store.close()
        try? FileManager.default.removeItem(at: directory)
    }

    func reopen() throws {
        store.close()
        store = try SQLiteStore(path: path, outbox: outbox)
    }

    @discardableResult
    func push(_ time: Int64, _ rows: [SnapshotRow], blog: String = "default", explicit: Bool = true) throws
        -> IngestSummary
    {
        try store.ingest([Snapshot(blog: blog, capturedAt: time, explicitTime: explicit, rows: rows)])[0]
    }

    /// Rows of a query as text, one string per row with cells joined by `|` (NULL as `∅`).
    func query(_ sql: String) throws -> [String] {
        let database = try Database(path: path, readOnly: true)
        defer { database.close() }
        let statement = try database.prepare(sql)
        var rows: [String] = []
        while try statement.step() {
            var cells: [String] = []
            var column: Int32 = 0
            while column < statement.columnCount {
                cells.append(statement.isNull(column) ? "∅" : statement.text(column))
                column += 1
            }
            rows.append(cells.joined(separator: "|"))
        }
        return rows
    }

    /// Every stored sample, rows and sealed blocks alike.
    static let allSamples = """
        (SELECT post_key, t, views, gained_total FROM samples UNION ALL
         SELECT b.post_key, r.t, r.views, r.gained_total FROM sample_blocks b, bs_rows(b.data, b.t0) r)
        """

    /// The samples as `id|t|views`, in order.
    func samples() throws -> [String] {
        try query(
            "SELECT p.id, s.t, s.views FROM \(Self.allSamples) s JOIN posts p USING (post_key) ORDER BY p.id, s.t")
    }

    /// The samples with their running totals as `id|t|views|gained_total`.
    func totals() throws -> [String] {
        try query(
            "SELECT p.id, s.t, s.views, s.gained_total FROM \(Self.allSamples) s JOIN posts p USING (post_key) ORDER BY p.id, s.t"
        )
    }

    func snapshotTotals() throws -> [String] {
        try query(
            "SELECT b.name, s.t, s.gained, s.gained_total FROM snapshots s JOIN blogs b USING (blog_key) ORDER BY 1, 2")
    }

    func names() throws -> [String] {
        try query("SELECT p.id, n.t, n.slug, n.title FROM names n JOIN posts p USING (post_key) ORDER BY p.id, n.t")
    }

    func snapshots() throws -> [String] {
        try query(
            "SELECT b.name, s.t, s.rows, s.total_views, s.gained FROM snapshots s JOIN blogs b USING (blog_key) ORDER BY 1, 2"
        )
    }
}

func row(_ id: String, _ views: Int64, slug: String? = nil, title: String? = nil) -> SnapshotRow {
    SnapshotRow(id: id, slug: slug ?? "slug-\(id)", title: title ?? "Title \(id)", views: views)
}
