/// An SQLite failure with its result code and message.
public struct SQLiteError: Error, Sendable, CustomStringConvertible {
    public var code: Int32
    public var message: String
    public var description: String { "SQLite error \(code): \(message)" }

    /// Busy, locked, full disk, I/O error, read-only: the write may succeed later, so a client
    /// should retry (HTTP 503) rather than give up.
    public var isTransient: Bool {
        let primary = code & 0xFF
        // SQLITE_BUSY 5, LOCKED 6, NOMEM 7, READONLY 8, IOERR 10, FULL 13, CANTOPEN 14, PROTOCOL 15
        return [5, 6, 7, 8, 10, 13, 14, 15].contains(primary)
    }
}
