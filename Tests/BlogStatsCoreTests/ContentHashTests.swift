import Testing

@testable import BlogStatsCore

private func row(_ id: String, _ slug: String, _ title: String, _ views: Int64, line: Int = 0, blog: String = "")
    -> SnapshotRow
{
    SnapshotRow(id: id, slug: slug, title: title, views: views, blog: blog, line: line)
}

@Suite("ContentHash")
struct ContentHashTests {
    static let rows = [
        row("1", "hello", "Hello", 10, line: 2),
        row("2", "", "Draft", 0, line: 3),
        row("3", "emoji", "😀 日本", 123_456_789, line: 4),
        row("4", "x", "", Int64.max, line: 5),
    ]

    @Test func stringHashesAreDeterministicAndDistinct() {
        // Lengths 0 to 20 cross the eight-byte words the hash consumes; zero bytes must still count.
        var texts = (0...20).map { String(repeating: "a", count: $0) }
        texts += [
            "\u{0}", "\u{0}\u{0}", "a\u{0}", "\u{0}a", "b", "ab", "ba", "abcdefgh", "abcdefgh\u{0}", "é", "e\u{301}",
            "😀",
        ]
        let hashes = texts.map { ContentHash.of($0) }
        #expect(Set(hashes).count == texts.count)
        #expect(texts.map { ContentHash.of($0) } == hashes)
        #expect(
            ContentHash.of(String(repeating: "x", count: 1000)) != ContentHash.of(String(repeating: "x", count: 1001)))
    }

    @Test func ofIsOneAddThenMixed() {
        var hash = ContentHash()
        hash.add("post-42")
        #expect(ContentHash.of("post-42") == hash.mixed)
        #expect(ContentHash.of("post-42") != hash.value)
    }

    @Test func numbersAreDistinct() {
        var values = Set<UInt64>()
        for number: Int64 in [0, 1, 256, -1, Int64.max, Int64.min, 1 << 32] {
            var hash = ContentHash()
            hash.add(number)
            values.insert(hash.mixed)
        }
        #expect(values.count == 7)
        var empty = ContentHash()
        empty.add(Int64(0))
        #expect(empty.value != ContentHash().value)
    }

    @Test func mixedSpreadsNearbyValues() {
        var values = Set<UInt64>()
        for text in ["", "a", "b", "ab", "ba", "aa"] {
            var hash = ContentHash()
            hash.add(text)
            values.insert(hash.mixed)
        }
        #expect(values.count == 6)
    }

    @Test func nameHashSeparatesItsFields() {
        #expect(ContentHash.name(slug: "ab", title: "c") != ContentHash.name(slug: "a", title: "bc"))
        #expect(ContentHash.name(slug: "", title: "x") != ContentHash.name(slug: "x", title: ""))
        #expect(ContentHash.name(slug: "a", title: "b") != ContentHash.name(slug: "b", title: "a"))
        #expect(ContentHash.name(slug: "", title: "") != ContentHash().mixed)
        #expect(ContentHash.name(slug: "abcdefgh", title: "i") != ContentHash.name(slug: "abcdefghi", title: ""))
        #expect(ContentHash.name(slug: "abcdefg", title: "h") != ContentHash.name(slug: "abcdefgh", title: ""))
        #expect(ContentHash.name(slug: "", title: "\u{0}") != ContentHash.name(slug: "\u{0}", title: ""))
        #expect(ContentHash.name(slug: "hello", title: "Hello") == ContentHash.name(slug: "hello", title: "Hello"))
        #expect(ContentHash.name(slug: "hello", title: "Hello") != ContentHash.name(slug: "hello", title: "Hello "))
    }

    @Test func snapshotHashIgnoresRowOrder() {
        let base = ContentHash.snapshot(Self.rows)
        #expect(ContentHash.snapshot(Self.rows.reversed()) == base)
        #expect(ContentHash.snapshot([Self.rows[2], Self.rows[0], Self.rows[3], Self.rows[1]]) == base)
        #expect(ContentHash.snapshot([Self.rows[1], Self.rows[3], Self.rows[0], Self.rows[2]]) == base)
    }

    @Test func snapshotHashIsTheSumOfRowHashes() {
        // The store rebuilds a snapshot's hash from what it keeps (id, views, name hash): both must agree.
        var sum: UInt64 = 0
        for row in Self.rows {
            sum =
                sum
                &+ ContentHash.row(
                    idHash: ContentHash.of(row.id), views: row.views,
                    nameHash: ContentHash.name(slug: row.slug, title: row.title))
        }
        #expect(ContentHash.snapshot(Self.rows) == sum)
        #expect(sum != 0)
    }

    @Test func rowHashDependsOnEachPart() {
        let id = ContentHash.of("1")
        let name = ContentHash.name(slug: "s", title: "t")
        let base = ContentHash.row(idHash: id, views: 5, nameHash: name)
        #expect(ContentHash.row(idHash: ContentHash.of("2"), views: 5, nameHash: name) != base)
        #expect(ContentHash.row(idHash: id, views: 6, nameHash: name) != base)
        #expect(ContentHash.row(idHash: id, views: 5, nameHash: ContentHash.name(slug: "s", title: "u")) != base)
        // The parts have fixed places: swapping two of them changes the hash.
        #expect(ContentHash.row(idHash: name, views: 5, nameHash: id) != base)
    }

    @Test func snapshotHashIgnoresLineNumbers() {
        let moved = Self.rows.map { row($0.id, $0.slug, $0.title, $0.views, line: $0.line + 100) }
        #expect(ContentHash.snapshot(moved) == ContentHash.snapshot(Self.rows))
    }

    @Test("snapshot hash changes with any field of any row", arguments: 0..<4)
    func snapshotHashChangesWithAnyField(_ index: Int) {
        let base = ContentHash.snapshot(Self.rows)
        let original = Self.rows[index]
        let variants = [
            row(original.id + "x", original.slug, original.title, original.views),
            row(original.id, original.slug + "x", original.title, original.views),
            row(original.id, original.slug, original.title + "x", original.views),
            row(original.id, original.slug, original.title, original.views == 0 ? 1 : original.views - 1),
            row(original.id, original.title, original.slug, original.views),  // slug and title swapped
        ]
        var seen: Set<UInt64> = [base]
        for variant in variants {
            var rows = Self.rows
            rows[index] = variant
            let hash = ContentHash.snapshot(rows)
            #expect(hash != base, "\(variant)")
            seen.insert(hash)
        }
        #expect(seen.count == variants.count + 1)
    }

    @Test func snapshotHashSeparatesFieldBoundaries() {
        #expect(ContentHash.snapshot([row("1", "ab", "c", 5)]) != ContentHash.snapshot([row("1", "a", "bc", 5)]))
        #expect(ContentHash.snapshot([row("12", "", "x", 5)]) != ContentHash.snapshot([row("1", "2", "x", 5)]))
    }

    @Test func snapshotHashOfAddedOrRemovedRows() {
        let base = ContentHash.snapshot(Self.rows)
        #expect(ContentHash.snapshot([]) == 0)
        #expect(ContentHash.snapshot(Array(Self.rows.dropLast())) != base)
        #expect(ContentHash.snapshot(Self.rows + [row("5", "", "", 0)]) != base)
        // A sum, not an exclusive or: a row listed twice does not cancel itself out.
        #expect(ContentHash.snapshot([Self.rows[0], Self.rows[0]]) != 0)
        #expect(ContentHash.snapshot([Self.rows[0], Self.rows[0]]) != ContentHash.snapshot([]))
    }
}
