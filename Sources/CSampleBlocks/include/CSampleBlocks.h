#ifndef BLOGSTATS_CSAMPLEBLOCKS_H
#define BLOGSTATS_CSAMPLEBLOCKS_H

#include <stddef.h>
#include <stdint.h>

/// Sealed sample blocks: one post's change-only samples of one UTC day, packed as varints.
///
/// A block starts at its first sample's time t0 (kept in the row's key, not in the blob).
/// Each sample is a varint head, `minutes << 4 | has_remainder << 3 | kind`, where the time
/// since the previous sample (0 for the first) is `minutes * 60 + remainder`, rounded to the
/// nearest minute, and `kind` is one of:
///   0: present, one view more than the last known count in the block, the running total
///      rising by as much (the usual sample: one byte when it comes within 7 minutes);
///   1: present, `varint rise` views more, the total rising by as much;
///   2: present, `varint zigzag(rise)` and `varint zigzag(total delta)` (a reset, a total
///      that moved otherwise, after thinning);
///   3: absent (views NULL), the total unchanged;
///   4: absent, `varint zigzag(total delta)`.
/// The remainder (`varint zigzag`, seconds) follows the head when flagged, before the rest.
/// The last known count starts at 0 and the total at 0 in every block, so a block decodes on
/// its own; its first sample carries absolute values. Exact for any sequence of (t, views,
/// running total) in time order.

/// Bytes one sample can take at most; a buffer of `count * BLOGSTATS_BLOCK_MAX_SAMPLE` holds any block.
#define BLOGSTATS_BLOCK_MAX_SAMPLE 30

/// Encodes `count` samples in time order (`views[i] < 0`: absent) into `out`; returns its length.
size_t blogstats_block_encode(
    uint8_t *out, size_t count, const int64_t *times, const int64_t *views, const int64_t *totals);

/// A position in a block, advanced one sample at a time.
typedef struct {
    const uint8_t *next;
    const uint8_t *end;
    /// The current sample: time, views (-1: absent), running total.
    int64_t t;
    int64_t views;
    int64_t total;
    /// The last present views up to here in the block, -1 before the first.
    int64_t known;
} blogstats_block_cursor;

void blogstats_block_begin(blogstats_block_cursor *cursor, const void *data, size_t length, int64_t t0);

/// 1: the next sample was decoded into the cursor; 0: the block ended; -1: the block is corrupt.
int blogstats_block_next(blogstats_block_cursor *cursor);

/// Registers the SQL functions of sealed blocks for every connection opened from now on (once;
/// later calls are no-ops). Returns 0 (SQLITE_OK) or an SQLite error code.
///   bs_at(data, t0, x, field): of the block's last sample before x, field 0 its time, 1 its
///     views (-1: absent), 2 its running total, 3 the last present views before x; NULL when
///     there is none.
///   bs_after(data, t0, x): the time of the block's first present sample after x, or NULL.
///   bs_rows(data, t0): table-valued, the block's samples as rows (t, views, gained_total),
///     views NULL for an absent post.
int blogstats_blocks_register(void);

#endif
