/// Reads a snapshot body: CSV (RFC 4180) as `sqlite3 … ".mode csv"` writes it, or any
/// other single-byte separator (tab for `mysql --batch`).
///
/// Works on UTF-8 bytes in one pass; only the cells a snapshot keeps become `String`s.
public enum SnapshotCSV {
    /// The column names a header may hold; any other column is ignored.
    public static let knownColumns = ["id", "slug", "view_count", "title", "blog"]

    /// Parses a whole body. A header row is recognised by a cell named `id` or `view_count`
    /// (unless its third cell is a number: then it is a data row); without one the columns are
    /// `id,slug,view_count,title`.
    public static func parse(_ body: [UInt8], separator: UInt8 = UInt8(ascii: ",")) throws(SnapshotFormatError)
        -> [SnapshotRow]
    {
        try parseWithLayout(body, separator: separator).rows
    }

    /// Parses a whole body and tells which column (1-based) holds the ids, for later messages.
    public static func parseWithLayout(
        _ body: [UInt8], separator: UInt8 = UInt8(ascii: ",")
    ) throws(SnapshotFormatError) -> (rows: [SnapshotRow], idColumn: Int) {
        var reader = CSVRecordReader(separator: separator)
        var rows: [SnapshotRow] = []
        var layout: ColumnLayout? = nil
        var result: Result<Void, SnapshotFormatError> = .success(())
        body.withUnsafeBufferPointer { bytes in
            reader.start(bytes)
            do throws(SnapshotFormatError) {
                while let record = try reader.nextRecord() {
                    if layout == nil {
                        let (found, isHeader) = try ColumnLayout.detect(record, reader: reader)
                        layout = found
                        if isHeader { continue }
                    }
                    rows.append(try layout!.row(from: record, reader: reader))
                }
            } catch {
                result = .failure(error)
            }
        }
        try result.get()
        return (rows, (layout?.id ?? 0) + 1)
    }
}

/// Where the snapshot's columns are in each record.
struct ColumnLayout {
    var id: Int
    var slug: Int?
    var views: Int
    var title: Int?
    var blog: Int?
    var width: Int
    var fromHeader: Bool

    static func detect(_ record: CSVRecord, reader: CSVRecordReader) throws(SnapshotFormatError) -> (ColumnLayout, Bool)
    {
        // The first row may be data: its invalid UTF-8 is reported by `row(from:)`, naming the column.
        var names: [String] = []
        var invalidUTF8: SnapshotFormatError? = nil
        for index in 0..<record.count {
            do throws(SnapshotFormatError) {
                names.append(try reader.string(record, index, field: nil).lowercased())
            } catch {
                invalidUTF8 = invalidUTF8 ?? error
                names.append("")
            }
        }
        let trimmed = names.map { $0.trimmingASCIIWhitespace() }
        // A post titled "ID" (or with the slug "id") must not make a headerless first row a header.
        let isData = record.count >= 4 && !names[2].isEmpty && names[2].utf8.allSatisfy { $0 &- 0x30 < 10 }
        guard !isData, trimmed.contains("id") || trimmed.contains("view_count") else {
            guard record.count >= 4 else {
                throw SnapshotFormatError(
                    "expected 4 columns (id,slug,view_count,title) or a header row, found \(record.count)",
                    line: record.line)
            }
            return (
                ColumnLayout(id: 0, slug: 1, views: 2, title: 3, blog: nil, width: record.count, fromHeader: false),
                false
            )
        }
        if let invalidUTF8 { throw invalidUTF8 }
        func column(_ name: String) -> Int? { trimmed.firstIndex(of: name) }
        for required in ["id", "view_count"] where column(required) == nil {
            throw SnapshotFormatError(
                "the header has no \"\(required)\" column (it has: \(trimmed.joined(separator: ", ")))",
                line: record.line, field: required)
        }
        for (index, name) in trimmed.enumerated() where SnapshotCSV.knownColumns.contains(name) {
            if let first = column(name), first != index {
                throw SnapshotFormatError(
                    "the header names column \"\(name)\" twice", line: record.line, column: index + 1, field: name)
            }
        }
        let layout = ColumnLayout(
            id: column("id")!, slug: column("slug"), views: column("view_count")!, title: column("title"),
            blog: column("blog"), width: record.count, fromHeader: true)
        return (layout, true)
    }

    func row(from record: CSVRecord, reader: CSVRecordReader) throws(SnapshotFormatError) -> SnapshotRow {
        guard record.count == width else {
            let expected = fromHeader ? "the header has \(width)" : "the first row has \(width)"
            throw SnapshotFormatError(
                "this row has \(record.count) columns, \(expected)", line: record.line,
                column: min(record.count, width) + 1)
        }
        let id = try reader.string(record, self.id, field: "id")
        if id.isEmpty {
            throw SnapshotFormatError("id is empty", line: record.line, column: self.id + 1, field: "id")
        }
        let views = try reader.viewCount(record, self.views)
        return SnapshotRow(
            id: id,
            slug: try optionalString(record, slug, "slug", reader),
            title: try optionalString(record, title, "title", reader),
            views: views,
            blog: try optionalString(record, blog, "blog", reader),
            line: record.line)
    }
}

private func optionalString(
    _ record: CSVRecord, _ index: Int?, _ field: String, _ reader: CSVRecordReader
) throws(SnapshotFormatError) -> String {
    guard let index else { return "" }
    return try reader.string(record, index, field: field)
}

extension String {
    func trimmingASCIIWhitespace() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
        return String(scalars)
    }
}
