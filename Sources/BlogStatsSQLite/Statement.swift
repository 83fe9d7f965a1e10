internal import CSQLite

/// Owns one prepared statement; bind, step, read columns, reset.
public final class Statement {
    private let handle: OpaquePointer
    private unowned let database: Database

    init(_ handle: OpaquePointer, database: Database) {
        self.handle = handle
        self.database = database
    }

    deinit { sqlite3_finalize(handle) }

    /// Binds values to ?1, ?2, …, after resetting the statement.
    @discardableResult
    public func bind(_ values: SQLiteValue...) -> Statement {
        bindAll(values)
        return self
    }

    private func bindAll(_ values: [SQLiteValue]) {
        sqlite3_reset(handle)
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            switch value {
            case .integer(let number): sqlite3_bind_int64(handle, index, number)
            case .text(let text): sqlite3_bind_text(handle, index, text, -1, csqlite_transient())
            case .utf8(let bytes):
                // A nil pointer would bind NULL: an empty cell is the empty text.
                if let start = bytes.baseAddress {
                    sqlite3_bind_text(
                        handle, index, start.assumingMemoryBound(to: CChar.self), Int32(bytes.count),
                        csqlite_transient())
                } else {
                    sqlite3_bind_text(handle, index, "", 0, csqlite_transient())
                }
            case .blob(let bytes):
                // Zero bytes make an empty blob, not NULL.
                bytes.withUnsafeBytes { raw in
                    _ = sqlite3_bind_blob(
                        handle, index, raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(raw.count),
                        csqlite_transient())
                }
            case .null: sqlite3_bind_null(handle, index)
            }
        }
    }

    /// Steps once; true while there is a row to read.
    public func step() throws(SQLiteError) -> Bool {
        let status = sqlite3_step(handle)
        switch status {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let error = database.error(status)
            sqlite3_reset(handle)
            throw error
        }
    }

    /// Binds, runs to completion and resets (INSERT, UPDATE, DELETE).
    public func run(_ values: SQLiteValue...) throws(SQLiteError) {
        bindAll(values)
        while try step() {}
        sqlite3_reset(handle)
    }

    public func reset() { sqlite3_reset(handle) }

    public var columnCount: Int32 { sqlite3_column_count(handle) }

    public func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }
    public func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }
    public func optionalInt64(_ column: Int32) -> Int64? { isNull(column) ? nil : int64(column) }

    /// The column's UTF-8 bytes, valid only inside `body` (no String is made: for hot loops).
    public func withBytes<Result>(_ column: Int32, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        // Pointer first, then length (SQLite's rule); a text column is handed over unconverted.
        let bytes = sqlite3_column_blob(handle, column)
        let count = Int(sqlite3_column_bytes(handle, column))
        guard count > 0, let bytes else {
            return body(UnsafeBufferPointer(start: nil, count: 0))
        }
        return body(UnsafeBufferPointer(start: bytes.assumingMemoryBound(to: UInt8.self), count: count))
    }

    /// A blob column's bytes (empty for NULL).
    public func blob(_ column: Int32) -> [UInt8] { withBytes(column) { Array($0) } }

    public func text(_ column: Int32) -> String {
        guard let bytes = sqlite3_column_text(handle, column) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }
}

/// A value to bind to a statement parameter.
public enum SQLiteValue {
    case integer(Int64)
    case text(String)
    /// Text as UTF-8 bytes (copied when bound), e.g. a cell of a request body.
    case utf8(UnsafeRawBufferPointer)
    case blob([UInt8])
    case null

    public static func optional(_ number: Int64?) -> SQLiteValue { number.map { .integer($0) } ?? .null }
}
