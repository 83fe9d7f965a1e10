/// A map from post id to a value, by open addressing on a precomputed 64-bit hash.
///
/// The ingest path looks up every row of every snapshot (100,000 for a large blog); a
/// `Dictionary<String, …>` spends most of that time in SipHash and scattered storage.
public struct IDTable<Value>: Sendable where Value: Sendable {
    public private(set) var ids: [String] = []
    public var values: [Value] = []
    private var hashes: [UInt64] = []
    /// Index into `ids`/`values` plus one in the high half, the hash's high 32 bits in the low
    /// half (so most misses are settled without touching `ids`); 0 marks an empty slot.
    private var slots: [UInt64]
    private var mask: Int

    public init(capacity: Int = 16) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [UInt64](repeating: 0, count: size)
        mask = size - 1
        ids.reserveCapacity(capacity)
        values.reserveCapacity(capacity)
        hashes.reserveCapacity(capacity)
    }

    public var count: Int { ids.count }

    /// Makes room for `additional` more ids at once, instead of growing step by step.
    public mutating func reserve(_ additional: Int) {
        let needed = ids.count + additional
        ids.reserveCapacity(needed)
        values.reserveCapacity(needed)
        hashes.reserveCapacity(needed)
        var size = slots.count
        while size < needed * 2 { size <<= 1 }
        if size > slots.count { rehash(size: size) }
    }

    /// The index of `id`'s value, if present.
    @inline(__always)
    public func index(of id: String, hash: UInt64) -> Int? {
        probe(hash: hash) { ids[$0] == id }
    }

    public func index(of id: String) -> Int? { index(of: id, hash: ContentHash.of(id)) }

    /// The index of the id with these UTF-8 bytes, if present; no `String` is made.
    @inline(__always)
    public func index(ofBytes id: UnsafeRawBufferPointer, hash: UInt64) -> Int? {
        probe(hash: hash) { idAt($0, equals: id) }
    }

    /// Walks the slots from `hash`'s home until an empty one; an entry whose tag matches is
    /// checked with `matches` (its index into `ids`).
    @inline(__always)
    private func probe(hash: UInt64, _ matches: (Int) -> Bool) -> Int? {
        var slot = Int(truncatingIfNeeded: hash) & mask
        let tag = hash >> 32
        while true {
            let entry = slots[slot]
            if entry == 0 { return nil }
            if entry & 0xFFFF_FFFF == tag {
                let index = Int(entry >> 32) - 1
                if matches(index) { return index }
            }
            slot = (slot + 1) & mask
        }
    }

    /// True when the id at `index` has exactly these UTF-8 bytes.
    @inline(__always)
    public func idAt(_ index: Int, equals bytes: UnsafeRawBufferPointer) -> Bool {
        let utf8 = ids[index].utf8
        if let equal = utf8.withContiguousStorageIfAvailable({
            PackedRows.Cells.equal(UnsafeRawBufferPointer($0), bytes)
        }) {
            return equal
        }
        return utf8.elementsEqual(bytes)
    }

    /// Adds a value for an id that is not in the table yet; returns its index.
    @discardableResult
    public mutating func append(_ id: String, hash: UInt64, _ value: Value) -> Int {
        if (ids.count + 1) * 2 > slots.count { grow() }
        ids.append(id)
        values.append(value)
        hashes.append(hash)
        place(ids.count - 1, hash: hash)
        return ids.count - 1
    }

    /// Looks `id` up and adds it when missing: returns the index and whether it was there.
    public mutating func findOrAppend(_ id: String, hash: UInt64, _ value: @autoclosure () -> Value) -> (Int, Bool) {
        if let index = index(of: id, hash: hash) { return (index, true) }
        return (append(id, hash: hash, value()), false)
    }

    private mutating func place(_ index: Int, hash: UInt64) {
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = UInt64(index + 1) << 32 | hash >> 32
    }

    private mutating func grow() { rehash(size: slots.count * 2) }

    private mutating func rehash(size: Int) {
        slots = [UInt64](repeating: 0, count: size)
        mask = size - 1
        for index in hashes.indices { place(index, hash: hashes[index]) }
    }
}
