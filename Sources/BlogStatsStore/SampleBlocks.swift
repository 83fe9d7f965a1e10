import BlogStatsSQLite
import CSampleBlocks

/// One stored sample: a post's count at `t` (nil: absent from that snapshot) and its running
/// total of gains.
struct StoredSample: Equatable {
    var t: Int64
    var views: Int64?
    var total: Int64
}

/// Sealed days: each post's samples of one closed UTC day packed into one row of
/// `sample_blocks` (a few bytes a sample instead of twenty). The codec and the SQL functions
/// that read it inside queries (`bs_at`, `bs_after`, `bs_rows`) are in C (`CSampleBlocks`).
enum SampleBlocks {
    static let day: Int64 = 86_400
    /// A busy post's day is split into blocks this long, so a block stays within one B-tree
    /// page (no overflow page half empty) and a lookup decodes little.
    static let samplesPerBlock = 256

    /// Makes the SQL functions known to every connection opened afterwards; call before
    /// opening. (It fails only without memory; queries would then fail, naming the function.)
    static func install() { _ = installed }

    private static let installed: Int32 = blogstats_blocks_register()

    /// The UTC day that holds `time`, as the time of its midnight.
    static func dayStart(_ time: Int64) -> Int64 { time - ((time % day) + day) % day }

    static func encode(_ samples: [StoredSample]) -> [UInt8] {
        let times = samples.map(\.t)
        let views = samples.map { $0.views ?? -1 }
        let totals = samples.map(\.total)
        return [UInt8](unsafeUninitializedCapacity: samples.count * Int(BLOGSTATS_BLOCK_MAX_SAMPLE)) { buffer, count in
            count = blogstats_block_encode(buffer.baseAddress, samples.count, times, views, totals)
        }
    }

    static func decode(_ data: [UInt8], t0: Int64) throws(StoreError) -> [StoredSample] {
        var samples: [StoredSample] = []
        let status = data.withUnsafeBytes { bytes in
            var cursor = blogstats_block_cursor()
            blogstats_block_begin(&cursor, bytes.baseAddress, bytes.count, t0)
            var status: Int32 = 1
            while status == 1 {
                status = blogstats_block_next(&cursor)
                if status == 1 {
                    samples.append(
                        StoredSample(t: cursor.t, views: cursor.views >= 0 ? cursor.views : nil, total: cursor.total))
                }
            }
            return status
        }
        guard status == 0 else { throw StoreError.failed("a sealed sample block (from \(t0)) is corrupt") }
        return samples
    }
}
