import BlogStatsCore

/// Reads tab-separated rows as `mysql --batch` prints them: a header row, a tab between cells,
/// `\n` after each row; `\\`, `\t`, `\n`, `\r` and `\0` escaped with a backslash; SQL NULL
/// printed as `NULL`. Quotes mean nothing here (unlike CSV).
enum MySQLBatch {
    static func parse(_ body: [UInt8]) throws(SnapshotFormatError) -> [SnapshotRow] {
        var lines = body.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        guard let headerLine = lines.first else {
            throw SnapshotFormatError("the input is empty: expected a header row (id, slug, view_count, title)")
        }
        var header = try cells(headerLine, line: 1).map { name in
            String(
                name.lowercased().drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " || $0 == "\r" })
                    .reversed())
        }
        if header.first?.hasPrefix("\u{FEFF}") == true { header[0].removeFirst() }
        func column(_ name: String) -> Int? { header.firstIndex(of: name) }
        guard let id = column("id"), let views = column("view_count") else {
            throw SnapshotFormatError(
                "the first row must name the columns (id, slug, view_count, title), as mysql --batch prints them; found: \(header.joined(separator: ", "))",
                line: 1)
        }
        let slug = column("slug")
        let title = column("title")
        let blog = column("blog")
        var rows: [SnapshotRow] = []
        rows.reserveCapacity(lines.count - 1)
        for (offset, bytes) in lines.dropFirst().enumerated() {
            let line = offset + 2
            if bytes.isEmpty { continue }
            let row = try cells(bytes, line: line)
            guard row.count == header.count else {
                throw SnapshotFormatError(
                    "this row has \(row.count) cells, the header has \(header.count)", line: line,
                    column: min(row.count, header.count) + 1)
            }
            guard !row[id].isEmpty, row[id] != "NULL" else {
                throw SnapshotFormatError("id is empty", line: line, column: id + 1, field: "id")
            }
            guard let count = Int64(row[views]), count >= 0, row[views].utf8.allSatisfy({ $0 &- 0x30 < 10 }) else {
                throw SnapshotFormatError(
                    "view_count is not a number: \"\(row[views].prefix(40))\"", line: line, column: views + 1,
                    field: "view_count")
            }
            func optional(_ index: Int?) -> String {
                guard let index else { return "" }
                return row[index] == "NULL" ? "" : row[index]
            }
            // A title is NOT NULL in WriteFreely: the text "NULL" there is a title.
            rows.append(
                SnapshotRow(
                    id: row[id], slug: optional(slug), title: title.map { row[$0] } ?? "", views: count,
                    blog: optional(blog), line: line))
        }
        return rows
    }

    /// Splits one line into cells and undoes mysql's escapes.
    static func cells(_ line: ArraySlice<UInt8>, line number: Int) throws(SnapshotFormatError) -> [String] {
        var cells: [String] = []
        var cell: [UInt8] = []
        var index = line.startIndex
        func finish() throws(SnapshotFormatError) {
            guard let text = String(validating: cell, as: UTF8.self) else {
                throw SnapshotFormatError("invalid UTF-8", line: number, column: cells.count + 1)
            }
            cells.append(text)
            cell.removeAll(keepingCapacity: true)
        }
        while index < line.endIndex {
            let byte = line[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\t"):
                try finish()
            case UInt8(ascii: "\\") where index < line.endIndex:
                let escaped = line[index]
                index += 1
                switch escaped {
                case UInt8(ascii: "n"): cell.append(UInt8(ascii: "\n"))
                case UInt8(ascii: "t"): cell.append(UInt8(ascii: "\t"))
                case UInt8(ascii: "r"): cell.append(UInt8(ascii: "\r"))
                case UInt8(ascii: "0"): cell.append(0)
                case UInt8(ascii: "\\"): cell.append(UInt8(ascii: "\\"))
                default: cell.append(contentsOf: [byte, escaped])
                }
            default:
                cell.append(byte)
            }
        }
        try finish()
        return cells
    }
}
