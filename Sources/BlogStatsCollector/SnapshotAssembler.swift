import BlogStatsCore

/// Sorts rows into one body per blog as they are read, compressing each body every
/// `flushBytes` of CSV: a large snapshot is only ever held compressed, never whole.
///
/// The compressed pieces are concatenated gzip members, which gzip readers (the receiver,
/// `zcat`) read as one stream.
struct SnapshotAssembler {
    struct Part {
        var blog: String?
        var writer = SnapshotCSVWriter()
        var csvBytes = 0
    }

    let capturedAt: Int64
    let gzipLevel: Int32
    let flushBytes: Int
    private(set) var parts: [Part] = []
    private var partIndex: [String: Int] = [:]
    private var unnamedPart: Int? = nil
    /// One hash per (blog, id), to find a duplicate id without keeping every id.
    private var idHashes: [UInt64] = []

    private let compressor: Compressor

    init(capturedAt: Int64, gzipLevel: Int32 = 1, flushBytes: Int = 192 * 1024) {
        self.capturedAt = capturedAt
        self.gzipLevel = gzipLevel
        self.flushBytes = flushBytes
        compressor = Compressor(level: gzipLevel)
    }

    var rows: Int { parts.reduce(0) { $0 + $1.writer.rows } }

    /// The part for `blog` (nil: the receiver's default), created on first use.
    mutating func part(for blog: String?) -> Int {
        if let blog {
            if let index = partIndex[blog] { return index }
            partIndex[blog] = parts.count
        } else {
            if let unnamedPart { return unnamedPart }
            unnamedPart = parts.count
        }
        parts.append(Part(blog: blog))
        return parts.count - 1
    }

    mutating func append(part: Int, id: String, slug: String, views: Int64, title: String) {
        var (id, slug, title) = (id, slug, title)
        id.withUTF8 { id in
            slug.withUTF8 { slug in
                title.withUTF8 { title in append(part: part, id: id, slug: slug, views: views, title: title) }
            }
        }
    }

    /// The same from valid UTF-8 bytes (the WriteFreely scan's fast path).
    mutating func append(
        part: Int, id: UnsafeBufferPointer<UInt8>, slug: UnsafeBufferPointer<UInt8>, views: Int64,
        title: UnsafeBufferPointer<UInt8>
    ) {
        parts[part].writer.append(id: id, slug: slug, views: views, title: title)
        var hash = ContentHash()
        hash.add(Int64(part))
        hash.add(UnsafeRawBufferPointer(id))
        idHashes.append(hash.mixed)
    }

    /// Compresses the bodies that reached `flushBytes`. Call it between reads, outside any
    /// transaction on the source, so compression never lengthens a lock.
    mutating func compressFullParts() {
        for index in parts.indices where parts[index].writer.bytes.count >= flushBytes {
            compress(index)
        }
    }

    private mutating func compress(_ index: Int) {
        let csv = parts[index].writer.bytes
        guard !csv.isEmpty else { return }
        parts[index].csvBytes += csv.count
        // The writer gets a new buffer; the old one travels to the compressor without a copy.
        parts[index].writer.removeAllBytes()
        compressor.submit(part: index, csv: csv)
    }

    /// True when two rows of one blog may share an id (their hashes are equal); the caller
    /// decides whether that is a real duplicate.
    mutating func mayHaveDuplicateIDs() -> Bool {
        idHashes.sort()
        var previous: UInt64? = nil
        for hash in idHashes {
            if hash == previous { return true }
            previous = hash
        }
        return false
    }

    /// The finished snapshots, in the order the blogs were first seen.
    mutating func finish() -> [BlogSnapshot] {
        idHashes = []
        for index in parts.indices { compress(index) }
        var bodies = compressor.finish()
        var snapshots: [BlogSnapshot] = []
        for (index, part) in parts.enumerated() {
            snapshots.append(
                BlogSnapshot(
                    blog: part.blog, capturedAt: capturedAt, gzip: bodies.removeValue(forKey: index) ?? [],
                    csvBytes: part.csvBytes, rows: part.writer.rows))
        }
        parts = []
        return snapshots
    }
}
