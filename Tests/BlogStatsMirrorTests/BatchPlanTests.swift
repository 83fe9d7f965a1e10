import BlogStatsStore
import Testing

@testable import BlogStatsMirror

@Suite struct BatchPlanTests {
    func posts(_ count: Int, from first: Int = 0) -> [MirrorPost] {
        (first..<(first + count)).map {
            MirrorPost(
                id: "p\($0)", views: Int64($0),
                tags: LineProtocol.prefix(blog: nil, id: "p\($0)", slug: "", title: ""))
        }
    }

    @Test func smallSnapshotsShareABodyAndALargeOneSpansSeveral() {
        var plan = BatchPlan(maxLines: 4)
        plan.add(posts(2), time: 100)
        plan.add([], time: 160)
        plan.add(posts(9, from: 2), time: 220)
        plan.add(posts(1, from: 11), time: 280)
        #expect(plan.batches.map(\.lines) == [4, 4, 4])
        #expect(plan.lastBatch == [0, nil, 2, 2])
        #expect(plan.batches.map { $0.parts.map(\.entry) } == [[0, 2], [2], [2, 3]])
        #expect(plan.totalLines == 12)
        let body = String(decoding: plan.batches[0].body, as: UTF8.self)
        #expect(
            body == "blog_stats,id=p0 value=0i 100\nblog_stats,id=p1 value=1i 100\n"
                + "blog_stats,id=p2 value=2i 220\nblog_stats,id=p3 value=3i 220\n")
        // Each part is that snapshot's lines alone (sent alone to find a refused point).
        let part = plan.batches[2].parts[1]
        #expect(
            String(decoding: plan.batches[2].body[part.bytes], as: UTF8.self) == "blog_stats,id=p11 value=11i 280\n")
        #expect(part.lines == 1)
    }
}
