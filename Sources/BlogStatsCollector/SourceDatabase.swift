import BlogStatsSQLite
internal import CSQLiteReadAhead
import Glibc

/// Opens a blog engine's SQLite database the only way the collector may: read-only, never
/// created, with a busy timeout, so the blog's own writes always win.
enum SourceDatabase {
    static func open(_ path: String, busyTimeoutMilliseconds: Int, what: String) throws(CollectorError) -> Database {
        var information = stat()
        guard stat(path, &information) == 0 else {
            let reason = errno == ENOENT ? "no such file" : String(cString: strerror(errno))
            throw CollectorError("cannot read \(what) \(path): \(reason)")
        }
        do throws(SQLiteError) {
            // Read-only and without SQLITE_OPEN_CREATE: a wrong path can never create a file,
            // and the journal mode is never touched.
            let database = try Database(path: path, readOnly: true, vfs: readAheadVFS)
            try database.execute("PRAGMA busy_timeout = \(busyTimeoutMilliseconds)")
            // A scan reads each page once: a big page cache would only cost memory.
            try database.execute("PRAGMA cache_size = -512")
            try database.execute("PRAGMA query_only = ON")
            return database
        } catch {
            throw describe(error, path: path, busyTimeoutMilliseconds: busyTimeoutMilliseconds)
        }
    }

    /// The read-ahead VFS (see CSQLiteReadAhead.h): a scan of a 400 MB table then costs 1,600
    /// reads of 256 KB instead of 100,000 of one page. Nil (the default VFS) if it cannot be registered.
    static let readAheadVFS: String? = {
        guard blogstats_readahead_register(256 * 1024) == 0 else { return nil }
        return String(cString: blogstats_readahead_vfs_name)
    }()

    static func describe(_ error: SQLiteError, path: String, busyTimeoutMilliseconds: Int) -> CollectorError {
        switch error.code & 0xFF {
        case 26:  // SQLITE_NOTADB
            return CollectorError("\(path) is not an SQLite database")
        case 5, 6:  // SQLITE_BUSY, SQLITE_LOCKED
            return CollectorError(
                "\(path) stayed locked for longer than the busy timeout (\(busyTimeoutMilliseconds) ms): \(error.message)"
            )
        default:
            return CollectorError("cannot read \(path): \(error.message)")
        }
    }
}
