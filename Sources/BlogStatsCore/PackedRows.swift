/// A snapshot's rows as byte ranges in the body they were read from, so that reading a
/// 100,000-row body makes no `String` per cell: the store hashes and compares the bytes
/// against what it keeps in memory and turns into text only what it writes.
///
/// Cells that needed unescaping (`""` in quotes, mysql's backslashes) are copied, unescaped,
/// to a side buffer; a range at or past the body's end points there.
public struct PackedRows: Sendable {
    /// The body as received.
    var body: [UInt8]
    /// Unescaped copies of the cells that had escapes.
    var unescaped: [UInt8] = []
    var entries: [Entry] = []

    /// One row: id, slug and title as start and end offsets, the count, the line it starts on
    /// and `ContentHash.of(id)` (computed once for the duplicate check and the store).
    struct Entry {
        var idStart: UInt32
        var idEnd: UInt32
        var slugStart: UInt32
        var slugEnd: UInt32
        var titleStart: UInt32
        var titleEnd: UInt32
        var line: UInt32
        var views: Int64
        var idHash: UInt64
    }

    /// Offsets are 32-bit: bodies up to 2 GiB (the receiver's limit is far below).
    static func canHold(bodyBytes: Int) -> Bool { bodyBytes < Int(UInt32.max / 2) }

    init(body: [UInt8]) {
        self.body = body
    }

    public var count: Int { entries.count }

    mutating func reserve(_ rows: Int) {
        entries.reserveCapacity(rows)
    }

    /// Packs rows that are already text (snapshots built in code, or split by a `blog` column).
    public init(_ rows: [SnapshotRow]) {
        var body: [UInt8] = []
        body.reserveCapacity(rows.reduce(0) { $0 + $1.id.utf8.count + $1.slug.utf8.count + $1.title.utf8.count })
        var entries: [Entry] = []
        entries.reserveCapacity(rows.count)
        for row in rows {
            var bounds: [UInt32] = []
            for text in [row.id, row.slug, row.title] {
                bounds.append(UInt32(body.count))
                body.append(contentsOf: text.utf8)
                bounds.append(UInt32(body.count))
            }
            entries.append(
                Entry(
                    idStart: bounds[0], idEnd: bounds[1], slugStart: bounds[2], slugEnd: bounds[3],
                    titleStart: bounds[4], titleEnd: bounds[5], line: UInt32(clamping: row.line), views: row.views,
                    idHash: ContentHash.of(row.id)))
        }
        self.body = body
        self.entries = entries
    }

    /// Adds one row; the ranges are offsets as `Cells` reads them.
    mutating func append(id: Range<Int>, slug: Range<Int>, title: Range<Int>, views: Int64, line: Int, idHash: UInt64) {
        entries.append(
            Entry(
                idStart: UInt32(truncatingIfNeeded: id.lowerBound), idEnd: UInt32(truncatingIfNeeded: id.upperBound),
                slugStart: UInt32(truncatingIfNeeded: slug.lowerBound),
                slugEnd: UInt32(truncatingIfNeeded: slug.upperBound),
                titleStart: UInt32(truncatingIfNeeded: title.lowerBound),
                titleEnd: UInt32(truncatingIfNeeded: title.upperBound), line: UInt32(clamping: line), views: views,
                idHash: idHash))
    }

    /// Reads the rows through raw pointers, valid only inside `body`.
    public func withCells<Result, Failure>(
        _ body: (Cells) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        let outcome: Swift.Result<Result, Failure> = self.body.withUnsafeBufferPointer { main in
            unescaped.withUnsafeBufferPointer { side in
                entries.withUnsafeBufferPointer { entries in
                    do throws(Failure) {
                        return .success(try body(Cells(main: main, side: side, entries: entries)))
                    } catch {
                        return .failure(error)
                    }
                }
            }
        }
        return try outcome.get()
    }

    /// The rows as text (late snapshots, tests): one `SnapshotRow` per row.
    public var rows: [SnapshotRow] {
        withCells { cells in
            (0..<cells.count).map { row in
                SnapshotRow(
                    id: String(decoding: cells.id(row), as: UTF8.self),
                    slug: String(decoding: cells.slug(row), as: UTF8.self),
                    title: String(decoding: cells.title(row), as: UTF8.self), views: cells.views(row),
                    line: cells.line(row))
            }
        }
    }

    /// A read-only view of the rows through pointers.
    public struct Cells {
        let main: UnsafeBufferPointer<UInt8>
        let side: UnsafeBufferPointer<UInt8>
        let entries: UnsafeBufferPointer<Entry>

        public var count: Int { entries.count }

        @inline(__always)
        private func cell(_ start: UInt32, _ end: UInt32) -> UnsafeRawBufferPointer {
            let start = Int(start)
            let end = Int(end)
            if start >= main.count {
                return UnsafeRawBufferPointer(
                    rebasing: UnsafeRawBufferPointer(side)[(start - main.count)..<(end - main.count)])
            }
            return UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(main)[start..<end])
        }

        @inline(__always) public func id(_ row: Int) -> UnsafeRawBufferPointer {
            cell(entries[row].idStart, entries[row].idEnd)
        }
        @inline(__always) public func slug(_ row: Int) -> UnsafeRawBufferPointer {
            cell(entries[row].slugStart, entries[row].slugEnd)
        }
        @inline(__always) public func title(_ row: Int) -> UnsafeRawBufferPointer {
            cell(entries[row].titleStart, entries[row].titleEnd)
        }
        @inline(__always) public func views(_ row: Int) -> Int64 { entries[row].views }
        @inline(__always) public func idHash(_ row: Int) -> UInt64 { entries[row].idHash }
        public func line(_ row: Int) -> Int { Int(entries[row].line) }

        /// `ContentHash.name(slug:title:)` of the row, from its bytes.
        @inline(__always)
        public func nameHash(_ row: Int) -> UInt64 { ContentHash.name(slug: slug(row), title: title(row)) }

        /// The row's id as text.
        public func idText(_ row: Int) -> String { String(decoding: id(row), as: UTF8.self) }

        /// True when two rows have the same id.
        public func sameID(_ row: Int, _ other: Int) -> Bool { Cells.equal(id(row), id(other)) }

        @inline(__always)
        public static func equal(_ left: UnsafeRawBufferPointer, _ right: UnsafeRawBufferPointer) -> Bool {
            guard left.count == right.count else { return false }
            var offset = 0
            while offset + 8 <= left.count {
                guard
                    left.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                        == right.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                else { return false }
                offset += 8
            }
            while offset < left.count {
                guard left[offset] == right[offset] else { return false }
                offset += 1
            }
            return true
        }
    }
}
