import BlogStatsSQLite

extension StoreEngine {
    /// Created on first use rather than by a migration: only stores that imported something
    /// have it, and the receiver never reads it.
    private static let progressTable = """
        CREATE TABLE IF NOT EXISTS import_progress(
            source TEXT PRIMARY KEY,
            through INTEGER NOT NULL) WITHOUT ROWID
        """

    /// Inside the snapshot's transaction.
    func record(_ progress: ImportProgress) throws {
        try db.execute(Self.progressTable)
        let upsert = try db.prepare(
            """
            INSERT INTO import_progress(source, through) VALUES (?1, ?2)
            ON CONFLICT(source) DO UPDATE SET through = excluded.through
            """)
        try upsert.run(.text(progress.source), .integer(progress.through))
    }

    func importProgress(source: String) throws(StoreError) -> Int64? {
        do {
            try db.execute(Self.progressTable)
            let query = try db.prepare("SELECT through FROM import_progress WHERE source = ?1")
            defer { query.reset() }
            return try query.bind(.text(source)).step() ? query.int64(0) : nil
        } catch {
            throw StoreError(error)
        }
    }
}
