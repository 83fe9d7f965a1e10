/// One blog's posts and their counters at one capture time: what a push delivers.
public struct Snapshot: Sendable, Equatable {
    public var blog: String
    /// Seconds since the epoch, UTC.
    public var capturedAt: Int64
    /// True when the sender gave the capture time (a replay), false when it is the time of receipt.
    public var explicitTime: Bool
    public var rows: [SnapshotRow]

    public init(blog: String, capturedAt: Int64, explicitTime: Bool, rows: [SnapshotRow]) {
        self.blog = blog
        self.capturedAt = capturedAt
        self.explicitTime = explicitTime
        self.rows = rows
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
