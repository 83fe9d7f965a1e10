import BlogStatsSQLite
import Testing

@testable import BlogStatsCollector

/// The read-ahead VFS that source databases are opened with (CSQLiteReadAhead): a scan reads
/// what SQLite reads without it, and no page read ahead outlives the transaction it was read in.
@Suite struct ReadAheadTests {
    static let rows: Int64 = 3000

    /// `small`: 60 rows of about 2 KB, all in one window of 256 KB; `t`: 3,000 such rows, some
    /// 6 MB, many windows.
    func makeDatabase(_ directory: TemporaryDirectory) async throws -> String {
        let path = directory.path("big.db")
        try await Command.sqlite(
            path,
            """
            CREATE TABLE small (n INTEGER NOT NULL, pad TEXT NOT NULL);
            WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 60)
            INSERT INTO small SELECT i, printf('%.*c', 2000, 'x') FROM s;
            CREATE TABLE t (n INTEGER NOT NULL, pad TEXT NOT NULL);
            WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < \(Self.rows))
            INSERT INTO t SELECT i, printf('%.*c', 2000, 'x') FROM s;

            """)
        return path
    }

    /// Rows after `rowid`, at most `limit`, in one transaction: (last rowid, sum of n, rows).
    func piece(
        _ database: Database, _ table: String = "t", after rowid: Int64, limit: Int64
    ) throws -> (Int64, Int64, Int64) {
        try database.execute("BEGIN")
        let statement = try database.prepare(
            "SELECT rowid, n, length(pad) FROM \(table) WHERE rowid > ?1 ORDER BY rowid LIMIT ?2")
        statement.bind(.integer(rowid), .integer(limit))
        var last = rowid
        var sum: Int64 = 0
        var count: Int64 = 0
        while try statement.step() {
            #expect(statement.int64(2) == 2000)
            last = statement.int64(0)
            sum += statement.int64(1)
            count += 1
        }
        statement.reset()
        try database.execute("COMMIT")
        return (last, sum, count)
    }

    /// In WriteFreely's rollback-journal mode, and in WAL mode with every write checkpointed
    /// into the database file at once (so changed pages are read from the file, where a stale
    /// window would show).
    @Test(arguments: [false, true]) func aScanSeesEveryWriteMadeBetweenItsTransactions(wal: Bool) async throws {
        #expect(
            SourceDatabase.readAheadVFS != nil, "the read-ahead VFS is not registered: this test would prove nothing")
        let directory = try TemporaryDirectory()
        let path = try await makeDatabase(directory)
        let plainWriter = try Database(path: path)
        try plainWriter.execute("PRAGMA busy_timeout = 5000")
        if wal { try plainWriter.execute("PRAGMA journal_mode = WAL") }
        let writer = Writer(database: plainWriter, checkpoint: wal)
        let reader = try SourceDatabase.open(path, busyTimeoutMilliseconds: 5000, what: "the test database")
        let first = Self.rows * (Self.rows + 1) / 2

        // A table that fits in one window, read again after a write: the second read must not
        // be served from the first one's window (its lock was given up in between).
        #expect(try piece(reader, "small", after: 0, limit: -1).1 == 60 * 61 / 2)
        try writer.execute("UPDATE small SET n = n + 1")
        #expect(try piece(reader, "small", after: 0, limit: -1).1 == 60 * 61 / 2 + 60)

        // Whole table, then again after a write: the second scan must not see the first's pages.
        #expect(try piece(reader, after: 0, limit: -1).1 == first)
        try writer.execute("UPDATE t SET n = n + 1")
        let whole = try piece(reader, after: 0, limit: -1)
        #expect(whole.1 == first + Self.rows)
        #expect(whole.2 == Self.rows)

        // In pieces of 500 rows with a write between every two: each piece sees the rows as they
        // are when it is read, also the rows whose pages were read ahead by the piece before.
        var last: Int64 = 0
        var sum: Int64 = 0
        var pieces: Int64 = 0
        while true {
            let (end, total, count) = try piece(reader, after: last, limit: 500)
            guard count > 0 else { break }
            sum += total
            pieces += 1
            last = end
            try writer.execute("UPDATE t SET n = n + 1000 WHERE rowid > \(last)")
        }
        #expect(pieces == 6)
        // Piece k (from 0) was read after k writes of +1000 to each of its 500 rows.
        #expect(sum == first + Self.rows + 500 * 1000 * (0 + 1 + 2 + 3 + 4 + 5))
    }

    /// The test's writer: in WAL mode each write is checkpointed into the file before the next read.
    struct Writer {
        var database: Database
        var checkpoint: Bool

        func execute(_ sql: String) throws {
            try database.execute(sql)
            if checkpoint { try database.execute("PRAGMA wal_checkpoint(TRUNCATE)") }
        }
    }
}
