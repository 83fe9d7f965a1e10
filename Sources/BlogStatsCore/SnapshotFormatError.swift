/// Why a snapshot body was rejected, and where: line and column (field number) are 1-based.
public struct SnapshotFormatError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var line: Int?
    public var column: Int?
    /// The column's name when it is known (`view_count`), or a header such as `X-Blogstats-Captured-At`.
    public var field: String?

    public init(_ message: String, line: Int? = nil, column: Int? = nil, field: String? = nil) {
        self.message = message
        self.line = line
        self.column = column
        self.field = field
    }

    public var description: String {
        var text = message
        if let line { text += " (line \(line)" + (column.map { ", column \($0)" } ?? "") + ")" }
        return text
    }
}
