import BlogStatsStore

/// The points of pending snapshots cut into request bodies of at most `maxLines` lines each.
/// A large snapshot spans several bodies; small ones share one.
struct BatchPlan {
    /// One request body and which snapshots' points (byte ranges) it holds.
    struct Batch {
        struct Part {
            var entry: Int
            var bytes: Range<Int>
            var lines: Int
        }

        var body: [UInt8] = []
        var lines = 0
        var parts: [Part] = []

        var entries: Set<Int> { Set(parts.map(\.entry)) }
    }

    let maxLines: Int
    private(set) var batches: [Batch] = []
    /// Per entry (in the order added): the last batch holding its points; nil when it has none.
    private(set) var lastBatch: [Int?] = []
    private(set) var totalLines = 0

    init(maxLines: Int) {
        self.maxLines = max(1, maxLines)
    }

    /// Adds the next entry's points at `time`; returns the entry's index.
    @discardableResult
    mutating func add(_ posts: [MirrorPost], time: Int64) -> Int {
        let entry = lastBatch.count
        lastBatch.append(nil)
        var index = 0
        while index < posts.count {
            if batches.isEmpty || batches[batches.count - 1].lines >= maxLines { batches.append(Batch()) }
            let last = batches.count - 1
            let room = maxLines - batches[last].lines
            let end = min(posts.count, index + room)
            let start = batches[last].body.count
            for post in posts[index..<end] {
                LineProtocol.appendPoint(prefix: post.tags, views: post.views, time: time, to: &batches[last].body)
            }
            batches[last].parts.append(
                Batch.Part(entry: entry, bytes: start..<batches[last].body.count, lines: end - index))
            batches[last].lines += end - index
            totalLines += end - index
            lastBatch[entry] = last
            index = end
        }
        return entry
    }
}
