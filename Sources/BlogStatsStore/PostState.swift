/// What the store knows of one post at one time; -1 stands for "none" to keep it small
/// (100,000 of these live in memory).
import BlogStatsCore

struct PostState {
    var key: Int64
    /// The count at that time, or -1 when the post was absent (deleted or not yet written).
    var views: Int64
    /// The last count ever seen up to that time, or -1 when never seen: the base of the next gain.
    var lastKnown: Int64
    /// Hash of slug and title, or 0 before the first name.
    var nameHash: UInt64
    /// The running total of the post's gains up to that time (see Schema, version 3).
    var gainedTotal: Int64 = 0
    /// When the post's last sample and last name were written (for late snapshots).
    var sampleTime: Int64 = -1
    var nameTime: Int64 = -1

    var isPresent: Bool { views >= 0 }

    /// The gain from `lastKnown` to `views`, floored at zero; a new post counts from zero.
    static func gain(from base: Int64, to views: Int64) -> Int64 {
        max(0, views - max(base, 0))
    }
}

/// One blog's newest state, kept in memory so an unchanged post costs no read and no write.
struct BlogState {
    var key: Int64
    /// Capture time of the newest snapshot; nil before the first.
    var latest: Int64?
    var posts: IDTable<PostState>
    /// How many posts are present in the newest snapshot: when every one of them is in the
    /// next snapshot too, nothing was removed and no scan is needed.
    var presentCount: Int
    /// The running total of the blog's gains up to the newest snapshot.
    var gainedTotal: Int64 = 0
    /// The table index of each row of the newest snapshot, in its order. Collectors send rows in
    /// the same order minute after minute, so the next snapshot's row N is most likely the post
    /// at `order[N]`: checking it first turns scattered lookups into a sequential walk.
    var order: [Int32] = []
}
