import BlogStatsCore
import BlogStatsSQLite
import Testing

@testable import BlogStatsStore

/// The InfluxDB mirror's outbox: one row per stored snapshot, written in its transaction,
/// and snapshots rebuilt from the store exactly as they were pushed.
@Suite struct OutboxTests {
    /// Delivers every pending entry in order; returns each snapshot's posts as `id|slug|title|views`.
    static func drain(_ fixture: StoreFixture, reader: OutboxReader, changedOnly: Bool) throws -> [(Int64, [String])] {
        var delivered: [(Int64, [String])] = []
        while true {
            let batch = try reader.reading { () throws -> [(OutboxEntry, [MirrorPost])] in
                try reader.pending(limit: 7).map { ($0, try reader.posts(of: $0, changedOnly: changedOnly)) }
            }
            guard !batch.isEmpty else { return delivered }
            for (entry, posts) in batch { delivered.append((entry.capturedAt, Self.lines(posts))) }
            try fixture.store.removeFromOutbox(batch.map(\.0))
        }
    }

    static func lines(_ posts: [MirrorPost]) -> [String] {
        posts.map { "\(String(decoding: $0.tags, as: UTF8.self))|\($0.views)" }.sorted()
    }

    /// A reader whose tag sets are `id|slug|title`.
    static func reader(_ fixture: StoreFixture) throws -> OutboxReader {
        try OutboxReader(path: fixture.path) { _, id, slug, title in Array("\(id)|\(slug)|\(title)".utf8) }
    }

    static func lines(_ rows: [SnapshotRow]) -> [String] {
        rows.map { "\($0.id)|\($0.slug)|\($0.title)|\($0.views)" }.sorted()
    }

    /// The rows of each snapshot that differ from the one before (new, returning, count or name changed).
    static func changes(_ history: [(Int64, [SnapshotRow])]) -> [Int64: [String]] {
        var previous: [String: SnapshotRow] = [:]
        var changes: [Int64: [String]] = [:]
        for (time, rows) in history {
            let changed = rows.filter { row in
                guard let old = previous[row.id] else { return true }
                return old.views != row.views || old.slug != row.slug || old.title != row.title
            }
            changes[time] = lines(changed)
            previous = Dictionary(uniqueKeysWithValues: rows.map { ($0.id, $0) })
        }
        return changes
    }

    @Test func anAcceptedSnapshotQueuesOneRowAndADuplicateOrRejectedOneNone() throws {
        let fixture = try StoreFixture(outbox: true)
        try fixture.push(1000, [row("a", 1), row("b", 2)])
        #expect(try fixture.query("SELECT t, seq, parked FROM outbox") == ["1000|0|∅"])
        #expect(try fixture.push(1000, [row("a", 1), row("b", 2)]).duplicate)
        #expect(throws: StoreError.self) { try fixture.push(1000, [row("a", 5)]) }
        #expect(try fixture.query("SELECT t, seq FROM outbox") == ["1000|0"])
        // A request whose second snapshot is refused stores neither, nor their outbox rows.
        #expect(throws: StoreError.self) {
            try fixture.store.ingest([
                Snapshot(blog: "other", capturedAt: 1100, explicitTime: true, rows: [row("x", 1)]),
                Snapshot(blog: "default", capturedAt: 1000, explicitTime: true, rows: [row("a", 9)]),
            ])
        }
        #expect(try fixture.query("SELECT blog_key, t FROM outbox") == ["1|1000"])
        // Two pushes in one second without a capture time: the later replaces, pending again.
        let reader = try Self.reader(fixture)
        defer { reader.close() }
        let first = try reader.reading { try reader.pending(limit: 10) }
        try fixture.push(1000, [row("a", 3)], explicit: false)
        try fixture.store.removeFromOutbox(first)
        #expect(try fixture.query("SELECT t, seq FROM outbox") == ["1000|1"], "a stale delivery removes nothing")
        #expect(try Self.drain(fixture, reader: reader, changedOnly: false).map(\.1) == [["a|slug-a|Title a|3"]])
    }

    @Test func theTimeIndexesExistOnlyWhileTheMirrorIsOn() throws {
        let fixture = try StoreFixture(outbox: true)
        let indexes = "SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE '%by_time' ORDER BY name"
        #expect(try fixture.query(indexes) == ["names_by_time", "samples_by_time"])
        // Another tool (blogstats top, an import) opening the store leaves them alone…
        try SQLiteStore(path: fixture.path).close()
        #expect(try fixture.query(indexes) == ["names_by_time", "samples_by_time"])
        // …a receiver without the mirror drops them: it does not pay for them.
        fixture.store.close()
        fixture.store = try SQLiteStore(path: fixture.path, outbox: false)
        #expect(try fixture.query(indexes) == [])
    }

    @Test func withoutTheMirrorNothingIsQueued() throws {
        let fixture = try StoreFixture()
        try fixture.push(1000, [row("a", 1)])
        #expect(try fixture.query("SELECT count(*) FROM outbox") == ["0"])
    }

    @Test func aRemovedAndReturningPost() throws {
        let fixture = try StoreFixture(outbox: true)
        try fixture.push(1000, [row("a", 1), row("b", 2)])
        try fixture.push(1060, [row("a", 1)])
        try fixture.push(1120, [row("a", 1), row("b", 2)])
        try fixture.push(1180, [row("a", 4), row("b", 2, title: "Renamed")])
        let reader = try Self.reader(fixture)
        defer { reader.close() }
        let all = try Self.drain(fixture, reader: reader, changedOnly: false)
        #expect(all.map(\.0) == [1000, 1060, 1120, 1180])
        #expect(
            all.map(\.1) == [
                ["a|slug-a|Title a|1", "b|slug-b|Title b|2"], ["a|slug-a|Title a|1"],
                ["a|slug-a|Title a|1", "b|slug-b|Title b|2"], ["a|slug-a|Title a|4", "b|slug-b|Renamed|2"],
            ])
        for time in [1000, 1060, 1120, 1180] as [Int64] { try fixture.store.ingestAgainForOutbox(time) }
        let changed = try Self.drain(fixture, reader: reader, changedOnly: true)
        #expect(
            changed.map(\.1) == [
                ["a|slug-a|Title a|1", "b|slug-b|Title b|2"], [], ["b|slug-b|Title b|2"],
                ["a|slug-a|Title a|4", "b|slug-b|Renamed|2"],
            ])
    }

    /// Shuffled arrival, draining between pushes: every delivered snapshot is the one pushed
    /// at that time, late ones included; then, all in, changed mode sends exactly the changes.
    @Test(arguments: Array(1...8) as [UInt64])
    func snapshotsAreRebuiltAsPushed(seed: UInt64) throws {
        let history = LateSnapshotTests.history(seed: seed, snapshots: 14, posts: 11)
        let truth = Dictionary(uniqueKeysWithValues: history.map { ($0.0, Self.lines($0.1)) })
        var generator = SplitMix(seed: seed &* 31)
        var shuffled = history
        for index in stride(from: shuffled.count - 1, to: 0, by: -1) {
            shuffled.swapAt(index, Int(generator.next() % UInt64(index + 1)))
        }
        let fixture = try StoreFixture(outbox: true)
        let reader = try Self.reader(fixture)
        defer { reader.close() }
        var delivered = 0
        for (number, (time, rows)) in shuffled.enumerated() {
            try fixture.push(time, rows)
            guard number % 3 == 2 || number == shuffled.count - 1 else { continue }
            for (time, lines) in try Self.drain(fixture, reader: reader, changedOnly: false) {
                #expect(lines == truth[time], "snapshot at \(time)")
                delivered += 1
            }
        }
        #expect(delivered == history.count)

        for (time, _) in history { try fixture.store.ingestAgainForOutbox(time) }
        let changes = Self.changes(history)
        let changed = try Self.drain(fixture, reader: reader, changedOnly: true)
        #expect(changed.count == history.count)
        for (time, lines) in changed { #expect(lines == changes[time], "changes at \(time)") }
    }

    /// Sealing never packs a day the mirror still has to send, and a reader whose kept state
    /// is older than the sealed days rebuilds it: every snapshot still arrives as pushed.
    @Test(arguments: [4, 9] as [UInt64])
    func sealedDaysAreSentAsPushed(seed: UInt64) throws {
        let history = LateSnapshotTests.history(seed: seed, snapshots: 60, posts: 9).map {
            (SealTests.start + ($0.0 - 10_000) * 90, $0.1)
        }
        let truth = Dictionary(uniqueKeysWithValues: history.map { ($0.0, Self.lines($0.1)) })
        let fixture = try StoreFixture(outbox: true)
        let reader = try Self.reader(fixture)
        defer { reader.close() }
        var delivered = 0
        for (number, (time, rows)) in history.enumerated() {
            try fixture.push(time, rows)
            _ = try fixture.store.seal(delay: 0)
            let sealed = Int64(try fixture.query("SELECT coalesce(max(sealed_until), 0) FROM retention")[0])!
            if let pending = Int64(try fixture.query("SELECT min(t) FROM outbox WHERE parked IS NULL")[0]) {
                #expect(sealed <= pending, "sealed up to \(sealed), \(pending) still pending")
            }
            guard number % 13 == 12 || number == history.count - 1 else { continue }
            for (time, lines) in try Self.drain(fixture, reader: reader, changedOnly: false) {
                #expect(lines == truth[time], "snapshot at \(time)")
                delivered += 1
            }
        }
        #expect(delivered == history.count)
        _ = try fixture.store.seal(delay: 0)
        #expect(try fixture.query("SELECT count(*) > 0 FROM sample_blocks") == ["1"])

        // Queued again (as if replaced), sealed days included: the changes come out right.
        for (time, _) in history { try fixture.store.ingestAgainForOutbox(time) }
        let changes = Self.changes(history)
        let changed = try Self.drain(fixture, reader: reader, changedOnly: true)
        #expect(changed.count == history.count)
        for (time, lines) in changed { #expect(lines == changes[time], "changes at \(time)") }
        let all = try Self.drain(fixture, reader: reader, changedOnly: false)
        #expect(all.isEmpty)
    }

    @Test func retentionKeepsMinuteDataTheMirrorStillNeeds() throws {
        let fixture = try StoreFixture(outbox: true)
        let start: Int64 = 1_700_000_000 - 1_700_000_000 % 86_400
        for minute in 0..<(3 * 60) {
            try fixture.push(start + Int64(minute) * 60, [row("a", Int64(minute)), row("b", Int64(minute / 7))])
        }
        let utc: @Sendable (Int64) -> Int64 = { _ in 0 }
        let now = start + 10 * 86_400
        #expect(
            try fixture.store.applyRetention(now: now, keepMinutes: 86_400, keepHours: 5 * 86_400, utcOffset: utc) == 0)
        #expect(try fixture.query("SELECT count(*) FROM snapshots") == ["180"])
        let reader = try Self.reader(fixture)
        defer { reader.close() }
        // The first hour delivered: only it may be thinned.
        let firstHour = try reader.reading { try reader.pending(limit: 60) }
        try fixture.store.removeFromOutbox(firstHour)
        #expect(
            try fixture.store.applyRetention(now: now, keepMinutes: 86_400, keepHours: 5 * 86_400, utcOffset: utc) == 1)
        #expect(try fixture.query("SELECT count(*) FROM snapshots") == ["121"])
        let depth = try fixture.store.outboxDepth()
        #expect(depth.pendingSnapshots == 120 && depth.pendingRows == 240 && depth.parked == 0)
        #expect(depth.oldestPending == start + 3600)
    }
}

extension SQLiteStore {
    /// Queues an already stored snapshot again (to read it back in another mode).
    func ingestAgainForOutbox(_ time: Int64) throws {
        let database = try Database(path: path)
        try database.execute("INSERT INTO outbox(blog_key, t) VALUES (1, \(time))")
    }
}
