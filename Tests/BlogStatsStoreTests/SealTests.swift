import BlogStatsCore
import Foundation
import Synchronization
import Testing

@testable import BlogStatsStore

/// Sealed days: packing closed days into blocks changes no answer, late snapshots into a sealed
/// day store what in-order arrival stores, and retention thins blocks as it thins rows.
@Suite struct SealTests {
    static let day: Int64 = 86_400
    /// 2027-01-15T00:00:00Z, a UTC midnight.
    static let start: Int64 = 1_800_000_000 - 8 * 3600

    /// Four days of snapshots every 313 s (not aligned to hours or days) of a blog with
    /// absences, returns, resets, renames and a post that appears on the third day.
    static func fill(_ fixture: StoreFixture, seed: UInt64 = 11) throws -> Int64 {
        var generator = SplitMix(seed: seed)
        var views = [Int64](repeating: 50, count: 7)
        var time = start + 123
        while time < start + 4 * day {
            var rows: [SnapshotRow] = []
            for post in 0..<7 {
                if post == 6 && time < start + 2 * day + 5000 { continue }
                let roll = generator.next() % 200
                if roll < 6 { continue }
                // Post 0 changes at every snapshot (more than one block a day), the others sometimes.
                if post == 0 || roll < 40 { views[post] += Int64(generator.next() % 300) }
                if roll == 40 { views[post] /= 3 }
                let slug = roll == 41 ? "edited-\(post)-\(time)" : "post-\(post)"
                rows.append(SnapshotRow(id: "p\(post)", slug: slug, title: "Post \(post)", views: views[post]))
            }
            try fixture.push(time, rows)
            time += 313
        }
        return time
    }

    /// Every answer the store gives about the blog, as text.
    static func answers(_ fixture: StoreFixture, end: Int64) throws -> [String] {
        var all: [String] = []
        let store = fixture.store
        for (from, to) in [
            (start, end), (start + day + 3333, start + 2 * day + 77), (start + 3 * day, end), (end - 3600, end),
        ] {
            all.append("\(try store.topPosts(blog: "default", from: from, to: to, limit: 20, filter: nil))")
        }
        for (from, to, step) in [
            (start, end, day), (start, end, 3600), (start + day - 7200, start + day + 7200, 60),
            (start + 2 * day + 100, start + 3 * day + 100, 900),
        ] {
            let grid = BucketGrid(from: from, to: to, step: step)
            all.append("\(try #require(try store.blogSeries(blog: "default", grid: grid)))")
            for post in 0..<7 {
                let series = try #require(try store.postSeries(blog: "default", id: "p\(post)", grid: grid))
                all.append("\(series)")
            }
        }
        for kind in [ExportKind.snapshots, .samples] {
            for (from, to) in [(nil, nil), (start + day + 5, start + 3 * day - 5)] as [(Int64?, Int64?)] {
                let request = ExportRequest(kind: kind, blog: "default", from: from, to: to)
                all.append(try ExportTests.export(fixture, request, windowRows: 50).text)
                let onePost = ExportRequest(kind: kind, blog: "default", post: "p3", from: from, to: to)
                all.append(try ExportTests.export(fixture, onePost, windowRows: 50).text)
            }
        }
        return all
    }

    @Test func theCodecIsExactForAnySequence() throws {
        var generator = SplitMix(seed: 3)
        for _ in 0..<300 {
            var samples: [StoredSample] = []
            var time = Int64(generator.next() % 2_000_000_000)
            var total = Int64(generator.next() % 1_000_000)
            for _ in 0..<Int(generator.next() % 300) + 1 {
                time += Int64(generator.next() % 5000)
                let views: Int64? = generator.next() % 10 == 0 ? nil : Int64(generator.next() % 10_000_000)
                // Mostly the usual rise, sometimes anything (after thinning, after a reset).
                total += generator.next() % 4 == 0 ? Int64(generator.next() % 100_000) : 0
                samples.append(StoredSample(t: time, views: views, total: total))
            }
            let data = SampleBlocks.encode(samples)
            #expect(try SampleBlocks.decode(data, t0: samples[0].t) == samples)
            // A cut block is an error, never a shorter history.
            if data.count > 1 {
                let cut = Array(data.dropLast())
                let decoded = try? SampleBlocks.decode(cut, t0: samples[0].t)
                #expect(decoded == nil || decoded!.count < samples.count)
            }
        }
    }

    @Test func theUsualSampleTakesOneByte() {
        // A view more within a few minutes: one byte; the first sample carries absolute values.
        var samples: [StoredSample] = []
        var time: Int64 = 1_800_000_000
        for index in 0..<256 {
            time += Int64(index % 7 + 1) * 60
            samples.append(StoredSample(t: time, views: 120_000 + Int64(index), total: 90_000 + Int64(index)))
        }
        #expect(SampleBlocks.encode(samples).count == SampleBlocks.encode(Array(samples.prefix(1))).count + 255)
        // Seconds off the minute cost a byte more, bigger rises a byte or two.
        var jittered = samples
        jittered[5].t += 2
        #expect(SampleBlocks.encode(jittered).count == SampleBlocks.encode(samples).count + 2)
    }

    @Test func sealingChangesNoAnswer() throws {
        let fixture = try StoreFixture()
        let end = try Self.fill(fixture)
        let before = try Self.answers(fixture, end: end)
        let samples = try fixture.totals()

        // Days end at midnight UTC; the last day is not closed long enough.
        #expect(try fixture.store.seal(delay: 3 * 3600) == 3)
        #expect(try fixture.store.seal(delay: 3 * 3600) == 0)
        // Before the open day, rows remain only for each post's newest sample.
        #expect(
            try fixture.query(
                """
                SELECT count(*) FROM samples s WHERE t < \(Self.start + 3 * Self.day)
                  AND t < (SELECT max(t) FROM samples k WHERE k.post_key = s.post_key)
                """) == ["0"])
        let blocks = try fixture.query("SELECT count(*), max(absent), count(DISTINCT post_key) FROM sample_blocks")
        #expect(blocks == ["\(try fixture.query("SELECT count(*) FROM sample_blocks")[0])|1|7"])
        // Post 0 changed at every snapshot: more samples a day than one block holds.
        let busiest = try fixture.query(
            "SELECT count(*) FROM sample_blocks JOIN posts USING (post_key) WHERE id = 'p0' AND t0 < \(Self.start + Self.day)"
        )
        #expect(busiest == ["2"])

        #expect(try fixture.totals() == samples)
        let after = try Self.answers(fixture, end: end)
        for (old, new) in zip(before, after) { #expect(new == old) }

        // Sealed days keep no content hashes; a replay into one is still told from a conflict.
        let sealedEnd = Self.start + 3 * Self.day
        #expect(try fixture.query("SELECT count(*) FROM snapshot_hashes WHERE t < \(sealedEnd)") == ["0"])
        #expect(try fixture.query("SELECT count(*) > 0 FROM snapshot_hashes WHERE t >= \(sealedEnd)") == ["1"])
        let sealedTime = try #require(
            Int64(try fixture.query("SELECT max(t) FROM snapshots WHERE t < \(Self.start + Self.day)")[0]))
        var replay = try Self.rows(fixture, at: sealedTime)
        let sealedState = "SELECT sealed_until, (SELECT count(*) FROM sample_blocks) FROM retention"
        let sealedBefore = try fixture.query(sealedState)
        #expect(sealedBefore == ["\(sealedEnd)|\(blocks[0].split(separator: "|")[0])"])
        #expect(try fixture.push(sealedTime, replay).duplicate)
        replay[0].views += 1
        #expect(throws: StoreError.conflict(blog: "default", capturedAt: sealedTime)) {
            try fixture.push(sealedTime, replay)
        }
        // Neither needed the sealed days back as rows.
        #expect(try fixture.query(sealedState) == sealedBefore)
        #expect(try Self.answers(fixture, end: end) == after)

        // A reopened store rebuilds its newest state from rows and blocks alike: the same
        // snapshot again is a duplicate, one change more writes one sample.
        try fixture.reopen()
        let lastTime = try #require(Int64(try fixture.query("SELECT max(t) FROM snapshots")[0]))
        let rows = try Self.rows(fixture, at: lastTime)
        #expect(try fixture.push(Self.start + 4 * Self.day + 100, rows).changed == 0)
        // Now the fourth day is closed too: all but each post's newest sample are sealed.
        #expect(try fixture.store.seal(delay: 0) == 1)
        #expect(try fixture.query("SELECT count(*), count(DISTINCT post_key) FROM samples") == ["7|7"])
        try fixture.reopen()
        let samplesBefore = try fixture.samples().count
        let again = try fixture.push(Self.start + 4 * Self.day + 200, rows)
        #expect(again.changed == 0 && again.new == 0 && again.removed == 0 && again.returned == 0)
        #expect(try fixture.samples().count == samplesBefore)
        var changed = rows
        changed[0].views += 5
        let one = try fixture.push(Self.start + 4 * Self.day + 300, changed)
        #expect(one.changed == 1 && one.removed == 0)
        #expect(try fixture.samples().count == samplesBefore + 1)
        let top = try fixture.store.topPosts(
            blog: "default", from: Self.start + 4 * Self.day, to: Self.start + 5 * Self.day, limit: 1, filter: nil)
        #expect(top.first?.id == changed[0].id && top.first?.views == 5)
    }

    /// The snapshot stored at `time`, rebuilt through the export.
    static func rows(_ fixture: StoreFixture, at time: Int64) throws -> [SnapshotRow] {
        let text = try ExportTests.export(
            fixture, ExportRequest(kind: .snapshots, blog: "default", from: time, to: time + 1)
        ).text
        return text.split(separator: "\r\n").dropFirst().map { line in
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            return SnapshotRow(id: cells[2], slug: cells[3], title: cells[5], views: Int64(cells[4])!)
        }
    }

    /// `holdFirst`: the first snapshot arrives last of all, older than everything stored, so
    /// every post's sealed days go back to rows; `ahead`: those are unsealed a day per lock before
    /// it is stored, else all in its own transaction. Other late snapshots unseal only the posts
    /// they write.
    @Test(arguments: [(1, false, true), (2, true, true), (3, true, false), (4, false, true)] as [(UInt64, Bool, Bool)])
    func lateSnapshotsIntoSealedDaysStoreWhatInOrderArrivalStores(seed: UInt64, holdFirst: Bool, ahead: Bool) throws {
        // Every fifth snapshot is held back, then pushed after every day was sealed.
        let history = LateSnapshotTests.history(seed: seed, snapshots: 60, posts: 8).map { (time, rows) in
            (Self.start + (time - 10_000) * 90, rows)
        }
        let inOrder = try StoreFixture()
        for (time, rows) in history { try inOrder.push(time, rows) }

        let late = try StoreFixture()
        if !ahead { late.store.unsealAheadDays.store(0, ordering: .relaxed) }
        var held: [(Int64, [SnapshotRow])] = []
        for (index, snapshot) in history.enumerated() {
            if index % 5 == 2 || (holdFirst && index == 0) {
                held.append(snapshot)
            } else {
                try late.push(snapshot.0, snapshot.1)
            }
        }
        #expect(try late.store.seal(delay: 0) >= 3)
        var generator = SplitMix(seed: seed)
        held.shuffle(using: &generator)
        if holdFirst, let first = held.firstIndex(where: { $0.0 == history[0].0 }) {
            held.append(held.remove(at: first))
        }
        let sealedUntil = "SELECT sealed_until FROM retention"
        for (time, rows) in held {
            let sealedBefore = try late.query(sealedUntil)
            let blogFirst = try #require(Int64(try late.query("SELECT min(t) FROM snapshots")[0]))
            try late.push(time, rows)
            if time > blogFirst {
                // Only the posts it wrote went back to rows: the days stay sealed for the others.
                #expect(try late.query(sealedUntil) == sealedBefore)
            } else {
                #expect(try late.query(sealedUntil) != sealedBefore)
            }
            // A replay of what was just stored is recognised, sealed or not.
            #expect(try late.push(time, rows).duplicate)
            _ = try late.store.seal(delay: 0)
            // The next pass packs what it moved back into rows again, closed day or not.
            #expect(
                try late.query(
                    """
                    SELECT count(*) FROM samples s, retention r WHERE s.t < r.sealed_until
                      AND s.t < (SELECT max(k.t) FROM samples k WHERE k.post_key = s.post_key)
                    """) == ["0"])
            #expect(try late.query("SELECT count(*) FROM snapshot_hashes, retention WHERE t < sealed_until") == ["0"])
        }
        #expect(try late.query("SELECT count(*) > 0 FROM sample_blocks") == ["1"])

        try LateSnapshotTests().expectSame(late.totals(), inOrder.totals(), "samples")
        try LateSnapshotTests().expectSame(late.names(), inOrder.names(), "names")
        try LateSnapshotTests().expectSame(late.snapshotTotals(), inOrder.snapshotTotals(), "snapshots")
        #expect(
            try late.query("SELECT id, first_seen FROM posts ORDER BY id")
                == inOrder.query("SELECT id, first_seen FROM posts ORDER BY id"))
        let end = history.last!.0 + 1
        let grid = BucketGrid(from: Self.start, to: end, step: 3600)
        for post in 0..<8 {
            #expect(
                try late.store.postSeries(blog: "default", id: "p\(post)", grid: grid)
                    == inOrder.store.postSeries(blog: "default", id: "p\(post)", grid: grid))
        }
        #expect(
            try late.store.topPosts(blog: "default", from: Self.start + 3600, to: end, limit: 10, filter: nil)
                == inOrder.store.topPosts(blog: "default", from: Self.start + 3600, to: end, limit: 10, filter: nil))
    }

    @Test func retentionThinsSealedDaysLosslessly() throws {
        let plain = try StoreFixture()
        let sealed = try StoreFixture()
        let end = try Self.fill(plain)
        _ = try Self.fill(sealed)
        #expect(try sealed.store.seal(delay: 0) == 3)

        // Minute data older than a day and a half is thinned to hours: that cuts through the
        // sealed days (and, at 12:00, through one of them).
        let now = end
        let keepMinutes = Self.day + Self.day / 2
        let utc: @Sendable (Int64) -> Int64 = { _ in 0 }
        #expect(
            try sealed.store.applyRetention(
                now: now, keepMinutes: keepMinutes, keepHours: 30 * Self.day, utcOffset: utc) > 0)
        #expect(
            try plain.store.applyRetention(now: now, keepMinutes: keepMinutes, keepHours: 30 * Self.day, utcOffset: utc)
                > 0)

        try LateSnapshotTests().expectSame(sealed.totals(), plain.totals(), "thinned samples")
        let hours = BucketGrid(from: Self.start, to: end, step: 3600)
        for post in 0..<7 {
            #expect(
                try sealed.store.postSeries(blog: "default", id: "p\(post)", grid: hours)
                    == plain.store.postSeries(blog: "default", id: "p\(post)", grid: hours))
        }
        // Rows and blocks are both thinner than before.
        #expect(try sealed.query("SELECT count(*) FROM sample_blocks")[0] != "0")
    }
}
