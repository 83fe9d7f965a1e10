/// A fast 64-bit hash for change detection: a changed slug or title, a re-sent snapshot,
/// an id's slot in an `IDTable`. Not cryptographic; a collision only hides a rename.
public struct ContentHash: Sendable {
    public private(set) var value: UInt64 = 0x243F_6A88_85A3_08D3

    private static let multiplier: UInt64 = 0x9E37_79B9_7F4A_7C15

    public init() {}

    /// Mixes in a string's UTF-8 bytes, eight at a time.
    public mutating func add(_ text: String) {
        var text = text
        text.withUTF8 { add(UnsafeRawBufferPointer($0)) }
    }

    public mutating func add(_ bytes: UnsafeRawBufferPointer) {
        var hash = value
        var offset = 0
        while offset + 8 <= bytes.count {
            hash = Self.step(hash, bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            offset += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while offset < bytes.count {
            tail |= UInt64(bytes[offset]) << shift
            shift += 8
            offset += 1
        }
        // The length goes in too, so ("ab","c") and ("a","bc") differ.
        hash = Self.step(hash, tail ^ (UInt64(bytes.count) << 56))
        value = hash
    }

    public mutating func add(_ number: Int64) {
        value = Self.step(value, UInt64(bitPattern: number))
    }

    private static func step(_ hash: UInt64, _ word: UInt64) -> UInt64 {
        let mixed = (hash ^ word) &* multiplier
        return mixed ^ (mixed >> 32)
    }

    /// The value with its bits mixed (splitmix64's finaliser), so sums of hashes stay spread out.
    public var mixed: UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// The hash of one string, e.g. a post id.
    public static func of(_ text: String) -> UInt64 {
        var hash = ContentHash()
        hash.add(text)
        return hash.mixed
    }

    /// The hash of one string's UTF-8 bytes: equal to `of(String)` for the same text.
    @inline(__always)
    public static func of(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash = ContentHash()
        hash.add(bytes)
        return hash.mixed
    }

    /// `name(slug:title:)` from the names' UTF-8 bytes.
    @inline(__always)
    public static func name(slug: UnsafeRawBufferPointer, title: UnsafeRawBufferPointer) -> UInt64 {
        var hash = ContentHash()
        hash.add(slug)
        hash.add(title)
        return hash.mixed
    }

    /// The hash of a post's name (slug and title).
    public static func name(slug: String, title: String) -> UInt64 {
        var hash = ContentHash()
        hash.add(slug)
        hash.add(title)
        return hash.mixed
    }

    /// One row's share of a snapshot hash, from what the store keeps of a post.
    public static func row(idHash: UInt64, views: Int64, nameHash: UInt64) -> UInt64 {
        var hash = ContentHash()
        hash.add(Int64(bitPattern: idHash))
        hash.add(views)
        hash.add(Int64(bitPattern: nameHash))
        return hash.mixed
    }

    /// `snapshot(_:)` of packed rows, from their bytes.
    public static func snapshot(_ rows: PackedRows) -> UInt64 {
        rows.withCells { cells in
            var sum: UInt64 = 0
            for row in 0..<cells.count {
                sum = sum &+ Self.row(idHash: cells.idHash(row), views: cells.views(row), nameHash: cells.nameHash(row))
            }
            return sum
        }
    }

    /// A hash of a snapshot's content that does not depend on the order of its rows.
    public static func snapshot(_ rows: [SnapshotRow]) -> UInt64 {
        var sum: UInt64 = 0
        for row in rows {
            sum =
                sum &+ Self.row(idHash: of(row.id), views: row.views, nameHash: name(slug: row.slug, title: row.title))
        }
        return sum
    }
}
