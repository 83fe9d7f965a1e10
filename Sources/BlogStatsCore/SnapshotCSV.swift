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

extension SnapshotCSV {
    /// A parsed body: packed when it has no `blog` column (one snapshot), else rows as text.
    public enum ParsedBody: Sendable {
        case packed(PackedRows, idColumn: Int)
        case text([SnapshotRow], idColumn: Int)
    }

    /// Parses and validates a whole body like `parseWithLayout`, with the same errors, but keeps
    /// cells as byte ranges in `body` instead of making `String`s of them.
    public static func parsePacked(
        _ body: [UInt8], separator: UInt8 = UInt8(ascii: ",")
    ) throws(SnapshotFormatError) -> ParsedBody {
        guard PackedRows.canHold(bodyBytes: body.count) else {
            let (rows, idColumn) = try parseWithLayout(body, separator: separator)
            return .text(rows, idColumn: idColumn)
        }
        var reader = CSVRecordReader(separator: separator)
        var packed = PackedRows(body: body)
        var layout: ColumnLayout? = nil
        var hasBlogColumn = false
        var result: Result<Void, SnapshotFormatError> = .success(())
        body.withUnsafeBufferPointer { bytes in
            reader.start(bytes)
            do throws(SnapshotFormatError) {
                while let record = try reader.nextRecord() {
                    if layout == nil {
                        let (found, isHeader) = try ColumnLayout.detect(record, reader: reader)
                        guard found.blog == nil else {
                            hasBlogColumn = true
                            return
                        }
                        layout = found
                        // At most one row per line: sized once, no growing and copying.
                        packed.reserve(CSVRecordReader.newlineCount(bytes) + 1)
                        if isHeader { continue }
                    }
                    try layout!.pack(record, reader: reader, into: &packed)
                }
            } catch {
                result = .failure(error)
            }
        }
        try result.get()
        if hasBlogColumn {
            let (rows, idColumn) = try parseWithLayout(body, separator: separator)
            return .text(rows, idColumn: idColumn)
        }
        return .packed(packed, idColumn: (layout?.id ?? 0) + 1)
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

extension ColumnLayout {
    /// `row(from:)` for packed rows: the same checks in the same order, no `String`s.
    func pack(_ record: CSVRecord, reader: CSVRecordReader, into packed: inout PackedRows) throws(SnapshotFormatError) {
        guard record.count == width else {
            let expected = fromHeader ? "the header has \(width)" : "the first row has \(width)"
            throw SnapshotFormatError(
                "this row has \(record.count) columns, \(expected)", line: record.line,
                column: min(record.count, width) + 1)
        }
        let id = try packedCell(self.id, "id", reader, &packed)
        if id.isEmpty {
            throw SnapshotFormatError("id is empty", line: record.line, column: self.id + 1, field: "id")
        }
        let views = try reader.viewCount(record, self.views)
        let slug = try slug.map { (index) throws(SnapshotFormatError) in
            try packedCell(index, "slug", reader, &packed)
        }
        let title = try title.map { (index) throws(SnapshotFormatError) in
            try packedCell(index, "title", reader, &packed)
        }
        let idHash: UInt64
        if reader.isEscaped(self.id) {
            let offset = packed.body.count
            idHash = packed.unescaped.withUnsafeBytes {
                ContentHash.of(
                    UnsafeRawBufferPointer(rebasing: $0[(id.lowerBound - offset)..<(id.upperBound - offset)]))
            }
        } else {
            idHash = ContentHash.of(UnsafeRawBufferPointer(reader.rawCell(self.id)))
        }
        packed.append(
            id: id, slug: slug ?? 0..<0, title: title ?? 0..<0, views: views, line: record.line, idHash: idHash)
    }

    /// A cell's range in the body, or in the side buffer (offset by the body's size) when it had
    /// escapes; its text must be UTF-8.
    private func packedCell(
        _ index: Int, _ field: String, _ reader: CSVRecordReader, _ packed: inout PackedRows
    ) throws(SnapshotFormatError) -> Range<Int> {
        if reader.isEscaped(index) {
            let start = packed.unescaped.count
            reader.appendUnescaped(index, to: &packed.unescaped)
            let end = packed.unescaped.count
            try packed.unescaped.withUnsafeBufferPointer { (side) throws(SnapshotFormatError) in
                try reader.validateUTF8(UnsafeBufferPointer(rebasing: side[start..<end]), index, field: field)
            }
            return (packed.body.count + start)..<(packed.body.count + end)
        }
        let cell = reader.rawCell(index)
        try reader.validateUTF8(cell, index, field: field)
        let start = reader.cellStart(index)
        return start..<(start + cell.count)
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
