import Foundation
import Testing

/// An exposition many chunks long, over two blogs that share post ids: every sample exact.
extension MetricsTests {
    @Test func manyChunksAndTwoBlogsWithTheSameIDs() async throws {
        let directory = try TemporaryDirectory()
        let receiver = try await ReceiverProcess(in: directory)
        let time = CaptureTime.now() - 60
        let blogs = [("one", 2500, 3), ("two", 1500, 5)]
        var expectedViews: [String: String] = [:]
        var expectedInfo: [String: String] = [:]
        for (blog, count, factor) in blogs {
            let rows = (0..<count).map { index in
                let id = String(format: "p%04d", index)
                return (id, "s-\(index)", index * factor + 1, "Title \(index) of \(blog), \"quoted\" \\ ✓")
            }
            let pushed = try await Curl.push(
                receiver.url("/stats?blog=\(blog)"), CSVBody(rows).text, headers: [CaptureTime.header(time)])
            try #require(pushed.status == 200, "\(pushed.summary)")
            for (id, slug, views, title) in rows {
                let labels = #"blog="\#(blog)",id="\#(id)",slug="\#(slug)""#
                expectedViews["blogstats_post_views_total{\(labels)}"] = "\(views)"
                let escaped = title.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(
                    of: "\"", with: "\\\"")
                expectedInfo[#"blogstats_post_info{\#(labels),title="\#(escaped)"}"#] = "1"
            }
        }
        for accept in ["text/plain", "application/openmetrics-text"] {
            let answer = try await Curl.request(receiver.url("/metrics"), headers: ["Accept: \(accept)"])
            #expect(answer.status == 200 && answer.body.count > 8 * 64 * 1024, "\(accept): \(answer.body.count) bytes")
            let exposition = Exposition(answer.text)
            #expect(exposition.samples(startingWith: "blogstats_post_views_total{") == expectedViews, "\(accept)")
            #expect(exposition.samples(startingWith: "blogstats_post_info{") == expectedInfo, "\(accept)")
            // Each family's samples together, each series once.
            #expect(exposition.series.count == Set(exposition.series).count, "\(accept)")
            let names = exposition.series.map { $0.prefix { $0 != "{" && $0 != " " } }
            var seen: Set<Substring> = []
            for (index, name) in names.enumerated() where index == 0 || names[index - 1] != name {
                #expect(seen.insert(name).inserted, "\(accept): \(name) samples are split")
            }
            if accept == "text/plain" {
                let lint = try await Self.check(answer.text)
                #expect(lint.status == 0 && !lint.signalled, "promtool: \(lint.summary)")
            } else {
                #expect(answer.text.hasSuffix("\n# EOF\n"))
            }
        }
    }
}
