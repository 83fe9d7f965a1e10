/// One blog's posts and their counters at one capture time: what a push delivers.
public struct Snapshot: Sendable, Equatable {
    public var blog: String
    /// Seconds since the epoch, UTC.
    public var capturedAt: Int64
    /// True when the sender gave the capture time (a replay), false when it is the time of receipt.
    public var explicitTime: Bool
    private var storage: Storage

    /// Rows as text, or as byte ranges in the body they were read from (the ingest path).
    private enum Storage: Sendable {
        case text([SnapshotRow])
        case packed(PackedRows)
    }

    public init(blog: String, capturedAt: Int64, explicitTime: Bool, rows: [SnapshotRow]) {
        self.blog = blog
        self.capturedAt = capturedAt
        self.explicitTime = explicitTime
        storage = .text(rows)
    }

    public init(blog: String, capturedAt: Int64, explicitTime: Bool, packed: PackedRows) {
        self.blog = blog
        self.capturedAt = capturedAt
        self.explicitTime = explicitTime
        storage = .packed(packed)
    }

    /// The rows as text; for a snapshot read from a body, made on each use (not on the append path).
    public var rows: [SnapshotRow] {
        get {
            switch storage {
            case .text(let rows): rows
            case .packed(let packed): packed.rows
            }
        }
        set { storage = .text(newValue) }
    }

    /// The rows as byte ranges, packed on each use for a snapshot made from text.
    public var packed: PackedRows {
        switch storage {
        case .text(let rows): PackedRows(rows)
        case .packed(let packed): packed
        }
    }

    public var rowCount: Int {
        switch storage {
        case .text(let rows): rows.count
        case .packed(let packed): packed.count
        }
    }

    /// `ContentHash.snapshot` of the rows, without making text of them.
    public var contentHash: UInt64 {
        switch storage {
        case .text(let rows): ContentHash.snapshot(rows)
        case .packed(let packed): ContentHash.snapshot(packed)
        }
    }

    public static func == (left: Snapshot, right: Snapshot) -> Bool {
        left.blog == right.blog && left.capturedAt == right.capturedAt && left.explicitTime == right.explicitTime
            && left.rows == right.rows
    }

    /// Parses a body and splits it into snapshots (see `group`): a body without a `blog` column
    /// (the usual case) stays packed, and no cell of it becomes a `String`.
    public static func parse(
        _ body: [UInt8], defaultBlog: String, capturedAt: Int64, explicitTime: Bool
    ) throws(SnapshotFormatError) -> [Snapshot] {
        switch try SnapshotCSV.parsePacked(body) {
        case .packed(let packed, let idColumn):
            try BlogName.validate(defaultBlog, field: "blog")
            try checkUniqueIDs(packed, idColumn: idColumn)
            return [Snapshot(blog: defaultBlog, capturedAt: capturedAt, explicitTime: explicitTime, packed: packed)]
        case .text(let rows, let idColumn):
            return try group(
                rows, defaultBlog: defaultBlog, capturedAt: capturedAt, explicitTime: explicitTime, idColumn: idColumn)
        }
    }

    static func checkUniqueIDs(_ packed: PackedRows, idColumn: Int?) throws(SnapshotFormatError) {
        var size = 16
        while size < packed.count * 2 { size <<= 1 }
        let mask = size - 1
        var slots = [UInt64](repeating: 0, count: size)
        try packed.withCells { (cells) throws(SnapshotFormatError) in
            try slots.withUnsafeMutableBufferPointer { (slots) throws(SnapshotFormatError) in
                for row in 0..<cells.count {
                    let hash = cells.idHash(row)
                    let tag = hash >> 32
                    var slot = Int(truncatingIfNeeded: hash) & mask
                    while slots[slot] != 0 {
                        let entry = slots[slot]
                        let other = Int(entry >> 32) - 1
                        if entry & 0xFFFF_FFFF == tag && cells.sameID(other, row) {
                            throw SnapshotFormatError(
                                "duplicate id \"\(cells.idText(row))\" (first on line \(cells.line(other)))",
                                line: cells.line(row), column: idColumn, field: "id")
                        }
                        slot = (slot + 1) & mask
                    }
                    slots[slot] = UInt64(row + 1) << 32 | tag
                }
            }
        }
    }

    /// Splits parsed rows into one snapshot per blog (rows with an empty `blog` cell go to
    /// `defaultBlog`), checking blog names and that no id appears twice in a blog.
    /// - Parameter idColumn: the `id` column's number in the body, for error messages.
    public static func group(
        _ rows: [SnapshotRow], defaultBlog: String, capturedAt: Int64, explicitTime: Bool, idColumn: Int? = nil
    ) throws(SnapshotFormatError) -> [Snapshot] {
        try BlogName.validate(defaultBlog, field: "blog")
        guard rows.contains(where: { !$0.blog.isEmpty }) else {
            // The common case: one blog, no copy of the rows.
            try checkUniqueIDs(rows, idColumn: idColumn)
            return [Snapshot(blog: defaultBlog, capturedAt: capturedAt, explicitTime: explicitTime, rows: rows)]
        }
        var order: [String] = []
        var byBlog: [String: [SnapshotRow]] = [:]
        for row in rows {
            let blog = row.blog.isEmpty ? defaultBlog : row.blog
            if byBlog[blog] == nil {
                do throws(SnapshotFormatError) {
                    try BlogName.validate(blog, field: "blog")
                } catch {
                    throw SnapshotFormatError(error.message, line: row.line, field: "blog")
                }
                order.append(blog)
            }
            byBlog[blog, default: []].append(row)
        }
        var snapshots: [Snapshot] = []
        for blog in order {
            let blogRows = byBlog[blog]!
            try checkUniqueIDs(blogRows, idColumn: idColumn)
            snapshots.append(Snapshot(blog: blog, capturedAt: capturedAt, explicitTime: explicitTime, rows: blogRows))
        }
        return snapshots
    }

    static func checkUniqueIDs(_ rows: [SnapshotRow], idColumn: Int?) throws(SnapshotFormatError) {
        // Open addressing over row numbers, with the hash's high half as a tag: an id is only
        // compared when the tags match, and nothing is copied (100,000 rows per snapshot).
        var size = 16
        while size < rows.count * 2 { size <<= 1 }
        let mask = size - 1
        var slots = [UInt64](repeating: 0, count: size)
        try rows.withUnsafeBufferPointer { (rows) throws(SnapshotFormatError) in
            for (index, row) in rows.enumerated() {
                let hash = ContentHash.of(row.id)
                let tag = hash >> 32
                var slot = Int(truncatingIfNeeded: hash) & mask
                while slots[slot] != 0 {
                    let entry = slots[slot]
                    let other = Int(entry >> 32) - 1
                    if entry & 0xFFFF_FFFF == tag && rows[other].id == row.id {
                        throw SnapshotFormatError(
                            "duplicate id \"\(row.id)\" (first on line \(rows[other].line))", line: row.line,
                            column: idColumn, field: "id")
                    }
                    slot = (slot + 1) & mask
                }
                slots[slot] = UInt64(index + 1) << 32 | tag
            }
        }
    }
}

/// The rules for a blog's name: what WriteFreely allows in a collection alias, plus `_` and `.`.
public enum BlogName {
    public static func validate(_ name: String, field: String) throws(SnapshotFormatError) {
        let allowed = name.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".")
        }
        // "." and ".." are dot-segments: no URL path such as /blogs/{blog} could name them.
        guard !name.isEmpty, name.utf8.count <= 100, allowed, name != ".", name != ".." else {
            throw SnapshotFormatError(
                "blog name \"\(name.prefix(100))\" is not valid (1–100 letters, digits, '-', '_' or '.')", field: field)
        }
    }
}
