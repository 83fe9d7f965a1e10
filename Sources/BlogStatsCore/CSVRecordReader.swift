/// One record's position: the cells themselves stay in the reader's buffers.
struct CSVRecord {
    var line: Int
    var count: Int
}

/// Splits a CSV body into records and cells without copying cells that need no unescaping.
///
/// Lives only inside `withUnsafeBufferPointer` of the body it reads.
struct CSVRecordReader {
    let separator: UInt8
    private var bytes = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
    private var position = 0
    private var line = 1
    // Cell bounds of the current record, reused from record to record.
    private var starts: [Int] = []
    private var ends: [Int] = []
    private var escaped: [Bool] = []
    private var lines: [Int] = []

    private static let quote = UInt8(ascii: "\"")
    private static let newline = UInt8(ascii: "\n")
    private static let carriageReturn = UInt8(ascii: "\r")
    private static let backslash = UInt8(ascii: "\\")

    /// Tab-separated input is what `mysql --batch` prints: no quoting, backslash escapes instead.
    let quoting: Bool

    init(separator: UInt8) {
        self.separator = separator
        quoting = separator != UInt8(ascii: "\t")
    }

    /// Bytes consumed so far.
    var offset: Int { position }

    mutating func start(_ body: UnsafeBufferPointer<UInt8>) {
        bytes = body
        position = 0
        line = 1
        // A UTF-8 byte order mark is not part of the first cell.
        if body.count >= 3, body[0] == 0xEF, body[1] == 0xBB, body[2] == 0xBF { position = 3 }
    }

    /// The next non-blank record, or nil at the end of the body.
    mutating func nextRecord() throws(SnapshotFormatError) -> CSVRecord? {
        while position < bytes.count {
            starts.removeAll(keepingCapacity: true)
            ends.removeAll(keepingCapacity: true)
            escaped.removeAll(keepingCapacity: true)
            lines.removeAll(keepingCapacity: true)
            let recordLine = line
            var atRecordEnd = false
            while !atRecordEnd {
                atRecordEnd = try readCell()
            }
            // A line with nothing on it (often the last one) is not a record.
            if starts.count == 1, starts[0] == ends[0], !escaped[0], !isQuotedEmpty(0) { continue }
            return CSVRecord(line: recordLine, count: starts.count)
        }
        return nil
    }

    private func isQuotedEmpty(_ index: Int) -> Bool {
        starts[index] > 0 && bytes[starts[index] - 1] == Self.quote
    }

    /// Reads one cell; returns true when it ended its record.
    private mutating func readCell() throws(SnapshotFormatError) -> Bool {
        let cellLine = line
        let column = starts.count + 1
        if quoting, position < bytes.count, bytes[position] == Self.quote {
            let start = position + 1
            var index = start
            var hasEscapes = false
            while true {
                guard index < bytes.count else {
                    throw SnapshotFormatError(
                        "unterminated quoted field (the quote opened here is never closed)",
                        line: cellLine, column: column)
                }
                let byte = bytes[index]
                if byte == Self.quote {
                    if index + 1 < bytes.count, bytes[index + 1] == Self.quote {
                        hasEscapes = true
                        index += 2
                        continue
                    }
                    break
                }
                if byte == Self.newline { line += 1 }
                index += 1
            }
            append(start, index, hasEscapes, cellLine)
            position = index + 1
            return try endOfCell(afterQuoteAt: cellLine, column: column)
        }
        let start = position
        var index = start
        var hasBackslash = false
        while index < bytes.count {
            let byte = bytes[index]
            if byte == separator || byte == Self.newline { break }
            if byte == Self.backslash { hasBackslash = true }
            index += 1
        }
        var end = index
        if index < bytes.count, bytes[index] == Self.newline, end > start, bytes[end - 1] == Self.carriageReturn {
            end -= 1
        } else if index == bytes.count, end > start, bytes[end - 1] == Self.carriageReturn {
            end -= 1
        }
        append(start, end, !quoting && hasBackslash, cellLine)
        position = index
        return consumeSeparatorOrLineEnd()
    }

    private mutating func endOfCell(afterQuoteAt cellLine: Int, column: Int) throws(SnapshotFormatError) -> Bool {
        if position < bytes.count, bytes[position] == Self.carriageReturn,
            position + 1 == bytes.count || bytes[position + 1] == Self.newline
        {
            position += 1
        }
        guard position == bytes.count || bytes[position] == separator || bytes[position] == Self.newline else {
            throw SnapshotFormatError(
                "unexpected character after a closing quote (a quote inside a quoted field must be doubled)",
                line: line, column: column)
        }
        return consumeSeparatorOrLineEnd()
    }

    private mutating func consumeSeparatorOrLineEnd() -> Bool {
        guard position < bytes.count else { return true }
        let byte = bytes[position]
        position += 1
        if byte == Self.newline {
            line += 1
            return true
        }
        // A separator: another cell follows, even when it is empty and last in the body.
        return false
    }

    private mutating func append(_ start: Int, _ end: Int, _ hasEscapes: Bool, _ cellLine: Int) {
        starts.append(start)
        ends.append(end)
        escaped.append(hasEscapes)
        lines.append(cellLine)
    }

    /// A cell as text; invalid UTF-8 is an error naming the cell.
    func string(_ record: CSVRecord, _ index: Int, field: String?) throws(SnapshotFormatError) -> String {
        let cell = UnsafeBufferPointer(rebasing: bytes[starts[index]..<ends[index]])
        var isASCII = true
        for byte in cell where byte >= 0x80 {
            isASCII = false
            break
        }
        if escaped[index] {
            let unescaped = quoting ? Self.undoubleQuotes(cell) : Self.undoBackslashEscapes(cell)
            return try text(unescaped, isASCII: isASCII, record: record, index: index, field: field)
        }
        return try text(cell, isASCII: isASCII, record: record, index: index, field: field)
    }

    private static func undoubleQuotes(_ cell: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var unescaped: [UInt8] = []
        unescaped.reserveCapacity(cell.count)
        var skipNext = false
        for byte in cell {
            if skipNext {
                skipNext = false
                continue
            }
            unescaped.append(byte)
            if byte == quote { skipNext = true }
        }
        return unescaped
    }

    /// `\t`, `\n`, `\r`, `\0` and `\\` as mysql --batch writes them; `\x` is `x`.
    private static func undoBackslashEscapes(_ cell: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var unescaped: [UInt8] = []
        unescaped.reserveCapacity(cell.count)
        var escaping = false
        for byte in cell {
            if escaping {
                switch byte {
                case UInt8(ascii: "t"): unescaped.append(UInt8(ascii: "\t"))
                case UInt8(ascii: "n"): unescaped.append(newline)
                case UInt8(ascii: "r"): unescaped.append(carriageReturn)
                case UInt8(ascii: "0"): unescaped.append(0)
                default: unescaped.append(byte)
                }
                escaping = false
            } else if byte == backslash {
                escaping = true
            } else {
                unescaped.append(byte)
            }
        }
        return unescaped
    }

    private func text(
        _ cell: some Collection<UInt8>, isASCII: Bool, record: CSVRecord, index: Int, field: String?
    ) throws(SnapshotFormatError) -> String {
        if isASCII { return String(decoding: cell, as: UTF8.self) }
        guard let text = String(validating: cell, as: UTF8.self) else {
            throw SnapshotFormatError(
                "invalid UTF-8 in \(field ?? "the header")", line: lines[index], column: index + 1, field: field)
        }
        return text
    }

    /// The `view_count` cell as a non-negative integer.
    func viewCount(_ record: CSVRecord, _ index: Int) throws(SnapshotFormatError) -> Int64 {
        let cell = UnsafeBufferPointer(rebasing: bytes[starts[index]..<ends[index]])
        var value: Int64 = 0
        var valid = !cell.isEmpty && !escaped[index]
        if valid {
            for byte in cell {
                let digit = byte &- UInt8(ascii: "0")
                guard digit < 10 else {
                    valid = false
                    break
                }
                let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = times10.addingReportingOverflow(Int64(digit))
                if overflow1 || overflow2 {
                    throw SnapshotFormatError(
                        "view_count is too large: \"\(String(decoding: cell.prefix(40), as: UTF8.self))\"",
                        line: lines[index], column: index + 1, field: "view_count")
                }
                value = sum
            }
        }
        if valid { return value }
        let shown = String(decoding: cell.prefix(40), as: UTF8.self)
        let message: String
        if cell.isEmpty {
            message = "view_count is empty"
        } else if cell.first == UInt8(ascii: "-"), cell.dropFirst().allSatisfy({ $0 &- 48 < 10 }), cell.count > 1 {
            message = "view_count is negative: \"\(shown)\""
        } else {
            message = "view_count is not a number: \"\(shown)\""
        }
        throw SnapshotFormatError(message, line: lines[index], column: index + 1, field: "view_count")
    }
}
