import BlogStatsCore
import Testing

@testable import BlogStatsStore

@Suite("SQLiteStore: import progress and the writer lock")
struct ImportProgressTests {
    @Test func progressIsRecordedWithTheSnapshotOrNotAtAll() throws {
        let fixture = try StoreFixture()
        #expect(try fixture.store.importProgress(source: "s") == nil)
        let first = Snapshot(blog: "default", capturedAt: 100, explicitTime: true, rows: [row("a", 1)])
        _ = try fixture.store.ingest([first], progress: ImportProgress(source: "s", through: 100_500))
        #expect(try fixture.store.importProgress(source: "s") == 100_500)
        // A conflict rolls back the progress with the snapshot.
        let other = Snapshot(blog: "default", capturedAt: 100, explicitTime: true, rows: [row("a", 2)])
        #expect(throws: StoreError.conflict(blog: "default", capturedAt: 100)) {
            try fixture.store.ingest([other], progress: ImportProgress(source: "s", through: 999))
        }
        #expect(try fixture.store.importProgress(source: "s") == 100_500)
        // Progress alone, and sources kept apart.
        _ = try fixture.store.ingest([], progress: ImportProgress(source: "t", through: 7))
        try fixture.reopen()
        #expect(try fixture.store.importProgress(source: "s") == 100_500)
        #expect(try fixture.store.importProgress(source: "t") == 7)
    }

    @Test func aSecondSoleWriterIsRefusedUntilTheFirstCloses() throws {
        let fixture = try StoreFixture()
        let first = try SQLiteStore(path: fixture.path + "-2", soleWriter: true)
        #expect(throws: StoreError.self) { try SQLiteStore(path: fixture.path + "-2", soleWriter: true) }
        do {
            _ = try SQLiteStore(path: fixture.path + "-2", soleWriter: true)
        } catch {
            guard case .unavailable(let message) = error else { throw error }
            #expect(message.contains("in use by another blogstats process"))
        }
        // Readers and ordinary openers are not affected.
        let reader = try SQLiteStore(path: fixture.path + "-2")
        reader.close()
        first.close()
        let again = try SQLiteStore(path: fixture.path + "-2", soleWriter: true)
        again.close()
    }
}
