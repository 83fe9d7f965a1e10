#ifndef BLOGSTATS_CSAMPLEBLOCKS_H
#define BLOGSTATS_CSAMPLEBLOCKS_H

#include <stddef.h>
#include <stdint.h>

/// Sealed sample blocks: one post's change-only samples of one UTC day, packed as varints.
///
/// A block starts at its first sample's time t0 (kept in the row's key, not in the blob).
/// Each sample is:
///   - varint: seconds since the previous sample (0 for the first);
///   - varint head: zigzag(views - last known views in the block) * 4 + tag, where tag 0 is a
///     present post whose running total rose by its default gain (the rise over the last
///     known views in the block, floored at 0; the whole count for the first known one), tag 1
///     a present post with an explicit total delta, tag 2 an absent post (views NULL) whose
///     total did not move, tag 3 an absent post with an explicit total delta;
///   - for tags 1 and 3: varint zigzag(running total - previous running total).
/// The first sample's total is a delta from 0. Every block decodes on its own: exact for any
/// sequence of (t, views, running total), compact for the usual one (a minute apart, a few
/// views more, the total rising by as much).

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
