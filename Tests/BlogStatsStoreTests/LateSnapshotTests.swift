import BlogStatsCore
import Testing

@testable import BlogStatsStore

/// Snapshots arriving out of order must leave exactly what in-order arrival leaves.
@Suite struct LateSnapshotTests {
    /// A random but reproducible history: posts appear, vanish, return, grow, reset, get renamed.
    static func history(seed: UInt64, snapshots: Int, posts: Int) -> [(Int64, [SnapshotRow])] {
        var generator = SplitMix(seed: seed)
        var views = [Int64](repeating: 0, count: posts)
        var slugs = (0..<posts).map { "slug-\($0)" }
        var history: [(Int64, [SnapshotRow])] = []
        for index in 0..<snapshots {
            var rows: [SnapshotRow] = []
            for post in 0..<posts {
                let roll = generator.next() % 100
                if roll < 8 { continue }  // absent from this snapshot
                if roll < 40 { views[post] += Int64(generator.next() % 20) }
                if roll == 40 { views[post] /= 2 }  // restored from a backup
                if roll == 41 { slugs[post] += "-edited" }
                rows.append(SnapshotRow(id: "p\(post)", slug: slugs[post], title: "Post \(post)", views: views[post]))
            }
            history.append((Int64(10_000 + index * 60), rows))
        }
        return history
    }

    @Test(arguments: Array(1...24) as [UInt64])
    func anyArrivalOrderStoresTheSameSeries(seed: UInt64) throws {
        let history = Self.history(seed: seed, snapshots: 12, posts: 9)
        let inOrder = try StoreFixture()
        for (time, rows) in history { try inOrder.push(time, rows) }

        var generator = SplitMix(seed: seed &* 7919)
        var shuffled = history
        for index in stride(from: shuffled.count - 1, to: 0, by: -1) {
            shuffled.swapAt(index, Int(generator.next() % UInt64(index + 1)))
        }
        let outOfOrder = try StoreFixture()
        for (time, rows) in shuffled { try outOfOrder.push(time, rows) }

        try expectSame(outOfOrder.samples(), inOrder.samples(), "samples")
        try expectSame(outOfOrder.names(), inOrder.names(), "names")
        try expectSame(outOfOrder.snapshots(), inOrder.snapshots(), "snapshots")
        try expectSame(outOfOrder.totals(), inOrder.totals(), "running totals")
        try expectSame(outOfOrder.snapshotTotals(), inOrder.snapshotTotals(), "snapshot running totals")
        #expect(
            try outOfOrder.query("SELECT id, first_seen FROM posts ORDER BY id")
                == inOrder.query("SELECT id, first_seen FROM posts ORDER BY id"))

        // After the shuffle the in-memory state must match too: one more snapshot, same result.
        let (last, rows) = (
            history.last!.0 + 60,
            history.last!.1.map {
                var r = $0; r.views += 1; return r
            }
        )
        #expect(try outOfOrder.push(last, rows) == inOrder.push(last, rows))
        try expectSame(outOfOrder.samples(), inOrder.samples(), "samples after one more")
    }

    /// Names the rows that differ, which a plain == on two long lists does not.
    func expectSame(_ actual: [String], _ expected: [String], _ what: String) {
        let extra = actual.filter { !expected.contains($0) }
        let missing = expected.filter { !actual.contains($0) }
        #expect(actual == expected, "\(what): extra \(extra), missing \(missing)")
    }

    @Test func anEarlierSnapshotBecomesTheBaseline() throws {
        let fixture = try StoreFixture()
        try fixture.push(2000, [row("a", 10), row("b", 4)])
        try fixture.push(1000, [row("a", 7)])
        // Now 1000 is the baseline; at 2000 "a" gained 3 and "b" is new (counts from 0).
        #expect(try fixture.snapshots() == ["default|1000|1|7|0", "default|2000|2|14|7"])
        #expect(try fixture.samples() == ["a|1000|7", "a|2000|10", "b|2000|4"])
        #expect(try fixture.query("SELECT id, first_seen FROM posts ORDER BY id") == ["a|1000", "b|2000"])
    }
}

/// A tiny deterministic random generator, so a failing seed can be replayed.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
