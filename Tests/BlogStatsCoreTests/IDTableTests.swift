import Testing

@testable import BlogStatsCore

@Suite("IDTable")
struct IDTableTests {
    @Test func appendAndLookUp() {
        var table = IDTable<Int>(capacity: 2)
        #expect(table.count == 0)
        #expect(table.index(of: "a") == nil)
        for index in 0..<1000 {
            // Growing from a small capacity re-places every entry.
            #expect(table.append("id-\(index)", hash: ContentHash.of("id-\(index)"), index * 10) == index)
        }
        #expect(table.count == 1000)
        for index in stride(from: 0, to: 1000, by: 37) {
            #expect(table.index(of: "id-\(index)") == index)
            #expect(table.values[index] == index * 10)
            #expect(table.ids[index] == "id-\(index)")
        }
        #expect(table.index(of: "id-1000") == nil)
        #expect(table.index(of: "") == nil)
    }

    @Test func findOrAppend() {
        var table = IDTable<String>()
        let first = table.findOrAppend("x", hash: ContentHash.of("x"), "first")
        let again = table.findOrAppend("x", hash: ContentHash.of("x"), "second")
        let other = table.findOrAppend("y", hash: ContentHash.of("y"), "third")
        #expect(first == (0, false))
        #expect(again == (0, true))
        #expect(other == (1, false))
        #expect(table.values == ["first", "third"])
    }

    @Test func collidingHashesKeepIDsApart() {
        // Equal hashes must never merge two different ids.
        var table = IDTable<Int>()
        for index in 0..<100 { table.append("c\(index)", hash: 42, index) }
        table.append("other", hash: 43, -1)
        for index in 0..<100 { #expect(table.index(of: "c\(index)", hash: 42) == index) }
        #expect(table.index(of: "c100", hash: 42) == nil)
        #expect(table.index(of: "other", hash: 43) == 100)
        #expect(table.findOrAppend("c7", hash: 42, 0) == (7, true))
    }

    @Test func lookUpByBytes() {
        // Short ids are stored inline in the String, long and non-ASCII ones on the heap.
        let ids = [
            "a", "abcdefghij", "exactly-15-byte", "sixteen-bytes-id", String(repeating: "long", count: 20), "é日🚆", "",
        ]
        var table = IDTable<Int>()
        for (index, id) in ids.enumerated() { table.append(id, hash: ContentHash.of(id), index) }
        for (index, id) in ids.enumerated() {
            var bytes = Array(id.utf8)
            bytes.withUnsafeBytes { raw in
                #expect(ContentHash.of(raw) == ContentHash.of(id))
                #expect(table.index(ofBytes: raw, hash: ContentHash.of(raw)) == index)
                #expect(table.idAt(index, equals: raw))
            }
            // One byte more, one byte less or one byte different is another id.
            bytes.append(UInt8(ascii: "x"))
            bytes.withUnsafeBytes { raw in
                #expect(table.index(ofBytes: raw, hash: ContentHash.of(raw)) == nil)
                #expect(!table.idAt(index, equals: raw))
                #expect(!table.idAt(index, equals: UnsafeRawBufferPointer(rebasing: raw.dropLast(2))) || id.isEmpty)
            }
            if !id.isEmpty {
                bytes.removeLast()
                bytes[bytes.count - 1] ^= 1
                bytes.withUnsafeBytes { raw in #expect(!table.idAt(index, equals: raw)) }
            }
        }
        // Colliding hashes are told apart by the bytes.
        var colliding = IDTable<Int>()
        for index in 0..<50 { colliding.append("c\(index)", hash: 7, index) }
        for index in 0..<50 {
            Array("c\(index)".utf8).withUnsafeBytes { raw in #expect(colliding.index(ofBytes: raw, hash: 7) == index) }
        }
    }
}
