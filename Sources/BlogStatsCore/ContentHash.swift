/// 64-bit FNV-1a with a final mix: detects a changed slug or title, and a re-sent snapshot,
/// without keeping the text itself.
public struct ContentHash: Sendable {
    public private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    public init() {}

    public mutating func add(_ text: String) {
        for byte in text.utf8 {
            value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        // A separator that cannot occur in UTF-8 text keeps ("ab","c") apart from ("a","bc").
        value = (value ^ 0xFF) &* 0x0000_0100_0000_01B3
    }

    public mutating func add(_ number: Int64) {
        var bits = UInt64(bitPattern: number)
        for _ in 0..<8 {
            value = (value ^ (bits & 0xFF)) &* 0x0000_0100_0000_01B3
            bits >>= 8
        }
    }

    /// The value with its bits mixed (splitmix64's finaliser), so sums of hashes stay spread out.
    public var mixed: UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// The hash of a post's name (slug and title).
    public static func name(slug: String, title: String) -> UInt64 {
        var hash = ContentHash()
        hash.add(slug)
        hash.add(title)
        return hash.mixed
    }

    /// One row's share of a snapshot hash, from what the store keeps of a post.
    public static func row(id: String, views: Int64, nameHash: UInt64) -> UInt64 {
        var hash = ContentHash()
        hash.add(id)
        hash.add(views)
        hash.add(Int64(bitPattern: nameHash))
        return hash.mixed
    }

    /// A hash of a snapshot's content that does not depend on the order of its rows.
    public static func snapshot(_ rows: [SnapshotRow]) -> UInt64 {
        var sum: UInt64 = 0
        for row in rows {
            sum = sum &+ Self.row(id: row.id, views: row.views, nameHash: name(slug: row.slug, title: row.title))
        }
        return sum
    }
}
