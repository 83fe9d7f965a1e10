import BlogStatsCore
import Foundation
import Testing

@testable import BlogStatsStore

/// Exports over hand-built histories, with the exact rows expected.
@Suite struct ExportTests {
    static let base: Int64 = 1_800_000_000  // 2027-01-15T08:00:00Z, a whole hour
    static func at(_ minutes: Int64) -> Int64 { base + minutes * 60 }
    static func time(_ minutes: Int64) -> String { Timestamp.format(at(minutes)) }

    static let quoted = "Beta, the \"second\""
    static let broken = "Line\nbreak"

    /// Blog `default`: a and b from the start, d new at 10 and gone at 20, c new at 20, a gap
    /// from 30 to 60, b missing at 70 and back at 80 as `beta-2`, a reset to 30 at 80.
    /// Blog `other`: x from 5, y new at 15.
    static func history(_ fixture: StoreFixture) throws {
        let b = { (views: Int64, slug: String) in row("b", views, slug: slug, title: quoted) }
        let a = { (views: Int64) in row("a", views, slug: "alpha", title: "Alpha") }
        let c = row("c", 4, slug: "gamma", title: "")
        try fixture.push(at(0), [a(100), b(50, "beta")])
        try fixture.push(at(5), [row("x", 1)], blog: "other")
        try fixture.push(at(10), [a(110), b(50, "beta"), row("d", 7, slug: "", title: broken)])
        try fixture.push(at(15), [row("x", 2), row("y", 0)], blog: "other")
        try fixture.push(at(20), [a(115), b(53, "beta"), c])
        try fixture.push(at(70), [a(130), row("c", 9, slug: "gamma", title: "")])
        try fixture.push(at(80), [a(30), b(60, "beta-2"), row("c", 9, slug: "gamma", title: "")])
        try fixture.push(at(90), [b(61, "beta-2"), a(45), row("c", 9, slug: "gamma", title: "")])
    }

    static func export(
        _ fixture: StoreFixture, _ request: ExportRequest, chunkSize: Int = ExportStream.chunkSize,
        windowRows: Int64 = ExportWindows.rowBudget
    ) throws -> (text: String, chunks: [[UInt8]], rows: Int) {
        let stream = try ExportStream(
            path: fixture.path, request: request, utcOffset: { _ in 0 }, chunkSize: chunkSize, windowRows: windowRows)
        var chunks: [[UInt8]] = []
        while let chunk = try stream.next() { chunks.append(chunk) }
        #expect(try stream.next() == nil, "the end stays the end")
        return (String(decoding: chunks.joined(), as: UTF8.self), chunks, stream.rows)
    }

    static func lines(_ rows: [String]) -> String { rows.map { $0 + "\r\n" }.joined() }

    @Test func snapshotsAreRebuiltAsPushed() throws {
        let fixture = try StoreFixture()
        try Self.history(fixture)
        let export = try Self.export(fixture, ExportRequest())
        let t = Self.time
        #expect(t(0) == "2027-01-15T08:00:00Z")
        let expected = Self.lines([
            "time,blog,id,slug,view_count,title",
            "\(t(0)),default,a,alpha,100,Alpha",
            "\(t(0)),default,b,beta,50,\"Beta, the \"\"second\"\"\"",
            "\(t(10)),default,a,alpha,110,Alpha",
            "\(t(10)),default,b,beta,50,\"Beta, the \"\"second\"\"\"",
            "\(t(10)),default,d,,7,\"Line\nbreak\"",
            "\(t(20)),default,a,alpha,115,Alpha",
            "\(t(20)),default,b,beta,53,\"Beta, the \"\"second\"\"\"",
            "\(t(20)),default,c,gamma,4,",
            "\(t(70)),default,a,alpha,130,Alpha",
            "\(t(70)),default,c,gamma,9,",
            "\(t(80)),default,a,alpha,30,Alpha",
            "\(t(80)),default,b,beta-2,60,\"Beta, the \"\"second\"\"\"",
            "\(t(80)),default,c,gamma,9,",
            "\(t(90)),default,a,alpha,45,Alpha",
            "\(t(90)),default,b,beta-2,61,\"Beta, the \"\"second\"\"\"",
            "\(t(90)),default,c,gamma,9,",
            "\(t(5)),other,x,slug-x,1,Title x",
            "\(t(15)),other,x,slug-x,2,Title x",
            "\(t(15)),other,y,slug-y,0,Title y",
        ])
        #expect(export.text == expected)
        #expect(export.rows == 19)
    }

    @Test func samplesAreTheStoredChanges() throws {
        let fixture = try StoreFixture()
        try Self.history(fixture)
        let export = try Self.export(fixture, ExportRequest(kind: .samples))
        let t = Self.time
        // Empty views: the post went missing. gained_total: a reset gains nothing, a new post
        // counts from zero, a returning post from its last count.
        #expect(
            export.text
                == Self.lines([
                    "time,blog,id,views,gained_total",
                    "\(t(0)),default,a,100,0", "\(t(0)),default,b,50,0",
                    "\(t(10)),default,a,110,10", "\(t(10)),default,d,7,7",
                    "\(t(20)),default,a,115,15", "\(t(20)),default,b,53,3", "\(t(20)),default,c,4,4",
                    "\(t(20)),default,d,,7",
                    "\(t(70)),default,a,130,30", "\(t(70)),default,b,,3", "\(t(70)),default,c,9,9",
                    "\(t(80)),default,a,30,30", "\(t(80)),default,b,60,10",
                    "\(t(90)),default,a,45,45", "\(t(90)),default,b,61,11",
                    "\(t(5)),other,x,1,0", "\(t(15)),other,x,2,1", "\(t(15)),other,y,0,0",
                ]))
        #expect(export.rows == 18)
        #expect(try fixture.samples().count == 18, "one row per stored sample")
    }

    @Test func seriesOfAPostAndOfEveryBlog() throws {
        let fixture = try StoreFixture()
        try Self.history(fixture)
        let t = Self.time
        let post = try Self.export(
            fixture,
            ExportRequest(kind: .series, blog: "default", post: "a", from: Self.at(0), to: Self.at(100), step: 1200))
        #expect(
            post.text
                == Self.lines([
                    "start,blog,id,cumulative,views,gap_seconds,reset",
                    "\(t(0)),default,a,110,10,,false", "\(t(20)),default,a,115,5,,false",
                    "\(t(40)),default,a,,,,false", "\(t(60)),default,a,130,15,1200,false",
                    "\(t(80)),default,a,45,15,,true",
                ]))
        let totals = try Self.export(
            fixture, ExportRequest(kind: .series, format: .json, from: Self.at(0), to: Self.at(40), step: 1200))
        let row = { (start: Int64, blog: String, cumulative: String, views: String) in
            "{\"start\":\"\(t(start))\",\"blog\":\"\(blog)\",\"id\":null,\"cumulative\":\(cumulative),\"views\":\(views),\"gap_seconds\":null,\"reset\":false}\n"
        }
        // Blog other has no snapshot after 08:15: a gap.
        #expect(
            totals.text
                == row(0, "default", "167", "17") + row(20, "default", "172", "12") + row(0, "other", "2", "1")
                + row(20, "other", "null", "null"))
    }

    @Test func aWindowStartsFromTheStateBeforeIt() throws {
        let fixture = try StoreFixture()
        try Self.history(fixture)
        let all = try Self.export(fixture, ExportRequest(blog: "default")).text.components(separatedBy: "\r\n")
        // From 10:15 to 11:25: the snapshots of 10:20, 11:10 and 11:20, and d is gone by then.
        let window = try Self.export(fixture, ExportRequest(blog: "default", from: Self.at(15), to: Self.at(85)))
        let wanted = all.filter { line in [20, 70, 80].contains { line.hasPrefix(Self.time($0)) } }
        #expect(window.text == Self.lines(["time,blog,id,slug,view_count,title"] + wanted))
        #expect(window.rows == 8)
        let samples = try Self.export(fixture, ExportRequest(kind: .samples, from: Self.at(70), to: Self.at(80)))
        #expect(samples.text.components(separatedBy: "\r\n").dropFirst().filter { !$0.isEmpty }.count == 3)
    }

    @Test(arguments: [ExportKind.snapshots, .samples])
    func windowAndChunkBoundariesChangeNothing(kind: ExportKind) throws {
        let fixture = try StoreFixture()
        try Self.history(fixture)
        let whole = try Self.export(fixture, ExportRequest(kind: kind))
        // One snapshot per window, one row or so per chunk.
        let cut = try Self.export(fixture, ExportRequest(kind: kind), chunkSize: 1, windowRows: 1)
        #expect(cut.text == whole.text)
        #expect(cut.chunks.count == whole.rows + 1, "the header, then a row a chunk")
        let fromMiddle = try Self.export(fixture, ExportRequest(kind: kind, from: Self.at(12)), windowRows: 1)
        let expected = whole.text.components(separatedBy: "\r\n").filter { line in
            !(line.hasPrefix(Self.time(0)) || line.hasPrefix(Self.time(5)) || line.hasPrefix(Self.time(10)))
        }
        #expect(fromMiddle.text.components(separatedBy: "\r\n") == expected)
    }

    @Test func onePostOnly() throws {
        let fixture = try StoreFixture()
        try Self.history(fixture)
        let b = try Self.export(fixture, ExportRequest(format: .json, post: "b"))
        let lines = b.text.split(separator: "\n").map(String.init)
        #expect(lines.count == 5, "b is missing at 11:10")
        #expect(
            lines.last
                == "{\"time\":\"\(Self.time(90))\",\"blog\":\"default\",\"id\":\"b\",\"slug\":\"beta-2\",\"view_count\":61,\"title\":\"Beta, the \\\"second\\\"\"}"
        )
        let absent = try Self.export(fixture, ExportRequest(kind: .samples, format: .json, post: "d"))
        #expect(absent.text.hasSuffix("\"id\":\"d\",\"views\":null,\"gained_total\":7}\n"))
    }

    @Test func unknownBlogsAndPostsAreNotFound() throws {
        let fixture = try StoreFixture()
        try Self.history(fixture)
        for request in [
            ExportRequest(blog: "nope"), ExportRequest(post: "zzz"), ExportRequest(blog: "other", post: "a"),
            ExportRequest(kind: .series, blog: "nope", from: 0, to: 3600),
        ] {
            #expect(throws: ExportError.self) { try ExportStream(path: fixture.path, request: request) }
            do {
                _ = try ExportStream(path: fixture.path, request: request)
            } catch {
                #expect(error.kind == .notFound, "\(request)")
            }
        }
        // A request built by hand is checked too: a series needs its window.
        do {
            _ = try ExportStream(path: fixture.path, request: ExportRequest(kind: .series, to: Self.at(60)))
            Issue.record("a series without from was accepted")
        } catch {
            #expect(error.kind == .invalidRequest && error.field == "from", "\(error)")
        }
        let empty = try StoreFixture()
        #expect(try Self.export(empty, ExportRequest()).text == "time,blog,id,slug,view_count,title\r\n")
        #expect(try Self.export(empty, ExportRequest(format: .json)).chunks.isEmpty)
    }

    @Test func parametersAreChecked() throws {
        let now: Int64 = 1_800_000_000
        let request = try ExportRequest(
            query: [
                "kind": "samples", "blog": "b", "id": "p", "from": "2h", "to": "2027-01-15T08:00:00Z", "format": "json",
            ],
            now: now)
        #expect(
            request == ExportRequest(kind: .samples, format: .json, blog: "b", post: "p", from: now - 7200, to: now))
        let series = try ExportRequest(query: ["kind": "series", "step": "1h"], now: now)
        #expect(series.from == now - 7 * 86_400 && series.to == now && series.step == 3600)
        #expect(try ExportRequest(query: series.query, now: now + 999) == series, "query is the inverse of parsing")
        let mistakes: [([String: String], String)] = [
            (["kind": "everything"], "kind"), (["format": "xml"], "format"), (["from": "yesterday"], "from"),
            (["from": "1h", "to": "2h"], "from"), (["step": "1h"], "step"),
            (["kind": "series", "step": "10s"], "step"),
            (["kind": "series", "from": "3y", "step": "1m"], "step"),
        ]
        for (query, field) in mistakes {
            do {
                _ = try ExportRequest(query: query, now: now)
                Issue.record("\(query) was accepted")
            } catch {
                #expect(error.kind == .invalidRequest && error.field == field, "\(query): \(error)")
            }
        }
    }

    @Test func aLargeStoreStreamsInManyChunksWithExactRows() throws {
        let fixture = try StoreFixture()
        let history = LateSnapshotTests.history(seed: 7, snapshots: 250, posts: 150)
        for (time, rows) in history { try fixture.push(time, rows) }
        // What was pushed, as the export writes it: each snapshot's rows by id.
        var expected = "time,blog,id,slug,view_count,title\r\n"
        var rows = 0
        for (time, snapshot) in history {
            for row in snapshot.sorted(by: { Array($0.id.utf8).lexicographicallyPrecedes(Array($1.id.utf8)) }) {
                expected += "\(Timestamp.format(time)),default,\(row.id),\(row.slug),\(row.views),\(row.title)\r\n"
                rows += 1
            }
        }
        let export = try Self.export(fixture, ExportRequest())
        #expect(export.rows == rows)
        #expect(export.text == expected)
        let bytes = expected.utf8.count
        #expect(bytes > 20 * ExportStream.chunkSize)
        // Every chunk but the last is a little over the chunk size: nothing piles up.
        #expect(
            (bytes / (ExportStream.chunkSize + 200)...(bytes / ExportStream.chunkSize + 1)).contains(
                export.chunks.count))
        #expect(
            export.chunks.dropLast().allSatisfy {
                (ExportStream.chunkSize..<ExportStream.chunkSize + 200).contains($0.count)
            })
        let windowed = try Self.export(fixture, ExportRequest(), windowRows: 1000)
        #expect(windowed.text == expected, "many windows")
    }

    @Test func lateSnapshotsExportLikeInOrderOnes() throws {
        let history = LateSnapshotTests.history(seed: 3, snapshots: 30, posts: 12)
        let inOrder = try StoreFixture()
        for (time, rows) in history { try inOrder.push(time, rows) }
        let shuffled = try StoreFixture()
        for (time, rows) in history.reversed() { try shuffled.push(time, rows) }
        for kind in [ExportKind.snapshots, .samples] {
            let expected = try Self.export(inOrder, ExportRequest(kind: kind)).text
            #expect(try Self.export(shuffled, ExportRequest(kind: kind)).text == expected)
        }
    }
}
