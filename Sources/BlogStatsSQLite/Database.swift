internal import CSQLite

/// Owns one `sqlite3` connection. Not thread-safe: each user keeps it behind one lock or on one thread.
public final class Database {
    private var handle: OpaquePointer?

    /// `vfs` names a registered SQLite VFS; nil: the default one.
    public init(path: String, readOnly: Bool = false, vfs: String? = nil) throws(SQLiteError) {
        let flags =
            readOnly
            ? SQLITE_OPEN_READONLY
            : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        let status = sqlite3_open_v2(path, &handle, flags | SQLITE_OPEN_NOMUTEX, vfs)
        guard status == SQLITE_OK else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(handle)
            handle = nil
            throw SQLiteError(code: status, message: "cannot open \(path): \(message)")
        }
        sqlite3_extended_result_codes(handle, 1)
    }

    deinit { close() }

    public func close() {
        guard let handle else { return }
        sqlite3_close_v2(handle)
        self.handle = nil
    }

    public func execute(_ sql: String) throws(SQLiteError) {
        var errorMessage: UnsafeMutablePointer<CChar>? = nil
        let status = sqlite3_exec(handle, sql, nil, nil, &errorMessage)
        guard status == SQLITE_OK else {
            let message = errorMessage.map { String(cString: $0) } ?? lastMessage
            sqlite3_free(errorMessage)
            throw SQLiteError(code: status, message: message)
        }
    }

    public func prepare(_ sql: String) throws(SQLiteError) -> Statement {
        var statement: OpaquePointer? = nil
        let status = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard status == SQLITE_OK, let statement else {
            throw SQLiteError(code: status, message: "\(lastMessage) in: \(sql)")
        }
        return Statement(statement, database: self)
    }

    /// Runs `body` in a transaction that takes the write lock at once; rolls back on any error.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }
    public var changes: Int { Int(sqlite3_changes(handle)) }
    public var lastMessage: String { handle.map { String(cString: sqlite3_errmsg($0)) } ?? "closed" }

    func error(_ status: Int32) -> SQLiteError {
        SQLiteError(code: sqlite3_extended_errcode(handle), message: lastMessage)
    }

    /// The names of the columns `sql` returns (its `AS` names), learnt by preparing it without
    /// running it. For queries a user writes, whose columns are found by name.
    public func columnNames(_ sql: String) throws(SQLiteError) -> [String] {
        var statement: OpaquePointer? = nil
        let status = sqlite3_prepare_v2(handle, sql, -1, &statement, nil)
        defer { sqlite3_finalize(statement) }
        guard status == SQLITE_OK, let statement else {
            throw SQLiteError(code: status, message: "\(lastMessage) in: \(sql)")
        }
        return (0..<sqlite3_column_count(statement)).map { column in
            sqlite3_column_name(statement, column).map { String(cString: $0) } ?? ""
        }
    }

    /// The single integer a query returns (PRAGMA values, counts).
    public func integer(_ sql: String) throws(SQLiteError) -> Int64 {
        let statement = try prepare(sql)
        defer { statement.reset() }
        guard try statement.step() else { return 0 }
        return statement.int64(0)
    }
}
