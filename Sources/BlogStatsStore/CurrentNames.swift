import BlogStatsSQLite

/// The current slug and title of every post of every blog, read from a connection of its own.
///
/// One statement walks the `names` table backwards along its primary key (post, time), so the
/// first row of each post is its newest name: no sort, no index seek per post, and one
/// consistent view of the store (WAL) however slowly the caller reads. Used by one thread at a time.
public final class CurrentNames {
    private var database: Database?
    private var statement: Statement?
    private var previousKey: Int64 = .min

    /// Opens the store at `path` read-only.
    public init(path: String) throws(StoreError) {
        do throws(SQLiteError) {
            SampleBlocks.install()
            let database = try Database(path: path)
            self.database = database
            try database.execute("PRAGMA query_only = ON")
            try database.execute("PRAGMA busy_timeout = 5000")
            statement = try database.prepare("SELECT post_key, slug, title FROM names ORDER BY post_key DESC, t DESC")
        } catch {
            close()
            throw StoreError(error)
        }
    }

    deinit { close() }

    /// Hands up to `limit` posts' current names to `body` (post key, slug, title; the bytes are
    /// valid during the call only). Returns false once every post was handed over.
    public func next(
        limit: Int, _ body: (Int64, UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) -> Void
    ) throws(StoreError) -> Bool {
        guard let statement else { return false }
        var handed = 0
        do throws(SQLiteError) {
            while handed < limit {
                guard try statement.step() else {
                    close()
                    return false
                }
                let key = statement.int64(0)
                if key == previousKey { continue }  // an older name of the same post
                previousKey = key
                statement.withBytes(1) { slug in statement.withBytes(2) { title in body(key, slug, title) } }
                handed += 1
            }
        } catch {
            close()
            throw StoreError(error)
        }
        return true
    }

    /// Ends the walk early (or after the end): the statement and the connection go.
    public func close() {
        statement = nil
        database?.close()
        database = nil
    }
}
