import Foundation
import Testing

/// When another process holds the store's write lock, a push is answered 503 with Retry-After
/// after the busy timeout, nothing is stored, and the same push succeeds once the lock is gone.
@Suite struct StoreLockTests {
    @Test func lockedStoreAnswers503ThenTheSamePushSucceeds() async throws {
        let directory = try TemporaryDirectory()
        let receiver = try await ReceiverProcess(in: directory, store: "store.db", arguments: ["--busy-timeout", "1s"])
        let now = CaptureTime.now()
        let first = try await Curl.push(
            receiver.url("/stats"), CSVBody([("a", "alpha", 1, "Alpha"), ("b", "beta", 2, "Beta")]).text,
            headers: [CaptureTime.header(now - 120)])
        try #require(first.status == 200, "\(first.summary)")
        let before = try await receiver.store.dump()
        let body = CSVBody([("a", "alpha", 3, "Alpha"), ("b", "beta", 2, "Beta"), ("c", "gamma", 1, "Gamma")]).text
        let time = CaptureTime.header(now - 60)

        let lock = try await SQLiteLockHolder(store: receiver.storePath)
        let started = ContinuousClock.now
        let refused = try await Curl.push(receiver.url("/stats"), body, headers: [time])
        let waited = ContinuousClock.now - started
        #expect(refused.status == 503, "\(refused.summary)")
        #expect(Int(refused.headers["retry-after"] ?? "").map { $0 > 0 } == true, "Retry-After: \(refused.headers)")
        #expect(refused.errorLocation == "{}" && !refused.errorMessage.isEmpty, "\(refused.summary)")
        // At least the busy timeout; the upper bound only says it did not hang (CI machines are busy).
        #expect(waited >= .milliseconds(900) && waited < .seconds(20), "waited the 1 s busy timeout, took \(waited)")
        let health = try await Curl.request(receiver.url("/healthz"))
        #expect(health.status == 503, "\(health.summary)")
        #expect(
            health.object?["writable"] as? Bool == false && health.object?["status"] as? String == "unavailable",
            "\(health.summary)")
        #expect(health.headers["retry-after"] != nil)
        try await lock.release()

        expectSame(try await receiver.store.dump(), before, "nothing stored by the refused push")
        let retried = try await Curl.push(receiver.url("/stats"), body, headers: [time])
        #expect(retried.status == 200, "\(retried.summary)")
        #expect(
            retried.canonical
                == JSON.canonical(
                    [
                        "blog": "default", "captured_at": CaptureTime.format(now - 60), "rows": 3, "changed": 1,
                        "new": 1,
                        "removed": 0, "returned": 0, "resets": 0, "duplicate": false,
                    ] as [String: Any]))
        expectSame(
            try await receiver.store.json(StoreFile.samplesByID),
            JSON.canonical(
                [
                    ["id": "a", "t": now - 120, "views": 1], ["id": "a", "t": now - 60, "views": 3],
                    ["id": "b", "t": now - 120, "views": 2], ["id": "c", "t": now - 60, "views": 1],
                ] as [[String: Any]]))
        #expect((try await Curl.request(receiver.url("/healthz"))).status == 200)
    }
}
