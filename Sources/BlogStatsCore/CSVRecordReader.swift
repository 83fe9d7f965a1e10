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
    private let cells = CellBounds()

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
            cells.count = 0
            let recordLine = line
            var atRecordEnd = false
            while !atRecordEnd {
                atRecordEnd = try readCell()
            }
            // A line with nothing on it (often the last one) is not a record.
            if cells.count == 1, cells[0].start == cells[0].end, !cells[0].escaped, !isQuotedEmpty(0) { continue }
            return CSVRecord(line: recordLine, count: cells.count)
        }
        return nil
    }

    private func isQuotedEmpty(_ index: Int) -> Bool {
        cells[index].start > 0 && bytes[cells[index].start - 1] == Self.quote
    }

    /// Reads one cell; returns true when it ended its record.
    private mutating func readCell() throws(SnapshotFormatError) -> Bool {
        let cellLine = line
        let column = cells.count + 1
        if quoting, position < bytes.count, bytes[position] == Self.quote {
            let start = position + 1
            var index = start
            var hasEscapes = false
            while true {
                // Eight bytes at a time up to the next quote or newline.
                while index + 8 <= bytes.count, !Self.has(quoteOrNewline: load(index)) { index += 8 }
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
        while index + 8 <= bytes.count, !has(stop: load(index)) { index += 8 }
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
        cells.append(CellBound(start: start, end: end, line: cellLine, escaped: hasEscapes))
    }

    @inline(__always)
    private func load(_ offset: Int) -> UInt64 {
        UnsafeRawPointer(bytes.baseAddress! + offset).loadUnaligned(as: UInt64.self)
    }

    /// 0x80 in each byte of `word` equal to `byte`, 0 elsewhere (exact, no false positives).
    @inline(__always)
    private static func matches(_ word: UInt64, _ byte: UInt8) -> UInt64 {
        let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        let x = word ^ (UInt64(byte) &* 0x0101_0101_0101_0101)
        return ~(((x & low7) &+ low7) | x | low7)
    }

    @inline(__always)
    private static func has(quoteOrNewline word: UInt64) -> Bool {
        matches(word, quote) | matches(word, newline) != 0
    }

    /// True when an unquoted cell may end (or hold a backslash escape) within these eight bytes.
    @inline(__always)
    private func has(stop word: UInt64) -> Bool {
        var found = Self.matches(word, separator) | Self.matches(word, Self.newline)
        if !quoting { found |= Self.matches(word, Self.backslash) }
        return found != 0
    }

    /// How many newline bytes `bytes` holds (eight at a time).
    static func newlineCount(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        var count = 0
        var offset = 0
        while offset + 8 <= bytes.count {
            count += matches(UnsafeRawPointer(base + offset).loadUnaligned(as: UInt64.self), newline).nonzeroBitCount
            offset += 8
        }
        while offset < bytes.count {
            if base[offset] == newline { count += 1 }
            offset += 1
        }
        return count
    }

    /// A cell's bytes as they are in the body (still escaped when `isEscaped`).
    @inline(__always)
    func rawCell(_ index: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: bytes[cells[index].start..<cells[index].end])
    }

    /// The cell's offset in the body.
    @inline(__always)
    func cellStart(_ index: Int) -> Int { cells[index].start }

    @inline(__always)
    func isEscaped(_ index: Int) -> Bool { cells[index].escaped }

    /// Appends the cell's text with its escapes undone to `output`.
    func appendUnescaped(_ index: Int, to output: inout [UInt8]) {
        let cell = rawCell(index)
        output.append(contentsOf: quoting ? Self.undoubleQuotes(cell) : Self.undoBackslashEscapes(cell))
    }

    /// Checks that a cell's text (escapes undone) is UTF-8, with the same error as `string`.
    func validateUTF8(
        _ text: UnsafeBufferPointer<UInt8>, _ index: Int, field: String?
    ) throws(SnapshotFormatError) {
        guard UTF8Validation.isValid(text) else {
            throw SnapshotFormatError(
                "invalid UTF-8 in \(field ?? "the header")", line: cells[index].line, column: index + 1, field: field)
        }
    }

    /// A cell as text; invalid UTF-8 is an error naming the cell.
    func string(_ record: CSVRecord, _ index: Int, field: String?) throws(SnapshotFormatError) -> String {
        let cell = UnsafeBufferPointer(rebasing: bytes[cells[index].start..<cells[index].end])
        var isASCII = true
        for byte in cell where byte >= 0x80 {
            isASCII = false
            break
        }
        if cells[index].escaped {
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
                "invalid UTF-8 in \(field ?? "the header")", line: cells[index].line, column: index + 1, field: field)
        }
        return text
    }

    /// The `view_count` cell as a non-negative integer.
    func viewCount(_ record: CSVRecord, _ index: Int) throws(SnapshotFormatError) -> Int64 {
        let cell = UnsafeBufferPointer(rebasing: bytes[cells[index].start..<cells[index].end])
        var value: Int64 = 0
        var valid = !cell.isEmpty && !cells[index].escaped
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
                        line: cells[index].line, column: index + 1, field: "view_count")
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
        throw SnapshotFormatError(message, line: cells[index].line, column: index + 1, field: "view_count")
    }
}

struct CellBound {
    var start: Int
    var end: Int
    var line: Int
    var escaped: Bool
}

/// The growing list of a record's cell bounds, written through a pointer: a record of four
/// cells costs no array bookkeeping (100,000 records per snapshot).
final class CellBounds {
    private var pointer: UnsafeMutablePointer<CellBound>
    private var capacity = 8
    var count = 0

    init() { pointer = .allocate(capacity: capacity) }
    deinit { pointer.deallocate() }

    @inline(__always)
    subscript(index: Int) -> CellBound {
        precondition(index < count)
        return pointer[index]
    }

    @inline(__always)
    func append(_ cell: CellBound) {
        if count == capacity {
            let larger = UnsafeMutablePointer<CellBound>.allocate(capacity: capacity * 2)
            larger.initialize(from: pointer, count: count)
            pointer.deallocate()
            pointer = larger
            capacity *= 2
        }
        (pointer + count).initialize(to: cell)
        count += 1
    }
}
