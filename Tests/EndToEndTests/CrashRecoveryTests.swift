import Foundation
import Testing

/// `kill -9` in the middle of concurrent pushes: every acknowledged snapshot survives, once.
@Suite struct CrashRecoveryTests {
    static let pushes = 200
    static let workers = 4

    /// Pushes snapshot i (capture time BASE + i) to URL; appends "i status" to OUT.
    /// Snapshot i: p1 = i, p2 = i/2, p3 = 1000 - i (missing when i % 5 == 0), p4 renamed every 10.
    static let pushFunction = #"""
        push() {
          local i=$1 file=$2 when body code
          when=$(date -u -d "@$((BASE + i))" +%Y-%m-%dT%H:%M:%SZ)
          body="id,slug,view_count,title\r\np1,one,$i,One\r\np2,two,$((i / 2)),Two\r\n"
          if (( i % 5 != 0 )); then body+="p3,three,$((1000 - i)),Three\r\n"; fi
          body+="p4,four-$((i / 10)),7,\"Four, $((i / 10))\"\r\n"
          code=$(printf '%b' "$body" | curl -s -o /dev/null -w '%{http_code}' -m 10 -X POST \
            -H 'Content-Type: text/csv' -H "X-Blogstats-Captured-At: $when" --data-binary @- "$URL/stats")
          echo "$i $code" >> "$file"
        }
        """#

    /// Rows and total views of snapshot i.
    static func expected(_ i: Int) -> (rows: Int, total: Int) {
        let present = i % 5 != 0
        return (present ? 4 : 3, i + i / 2 + (present ? 1000 - i : 0) + 7)
    }

    @Test func acknowledgedSnapshotsSurviveKill9ExactlyOnce() async throws {
        let directory = try TemporaryDirectory()
        let receiver = try await ReceiverProcess(in: directory, store: "store.db")
        let base = CaptureTime.now() - Int64(Self.pushes) - 60
        let results = directory.path("results")
        try FileManager.default.createDirectory(atPath: results, withIntermediateDirectories: true)

        let url = receiver.url
        async let load = Shell.bash(
            Self.pushFunction + """

                for ((w = 0; w < WORKERS; w++)); do
                  ( for ((i = w; i < N; i += WORKERS)); do push $i "$OUT/worker-$w"; done ) &
                done
                wait
                """,
            environment: [
                "URL": url, "BASE": String(base), "N": String(Self.pushes), "WORKERS": String(Self.workers),
                "OUT": results,
            ], timeout: 120)

        // Kill once a quarter of the pushes have been answered.
        var answered = 0
        let deadline = ContinuousClock.now + .seconds(60)
        while answered < Self.pushes / 4 && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(2))
            answered = Self.readResults(results).count
        }
        try await receiver.kill9()
        let killedAfter = Self.readResults(results).count
        let finished = try await load
        #expect(finished.status == 0, "\(finished.summary)")

        let outcomes = Self.readResults(results)
        #expect(outcomes.count == Self.pushes, "every push reported an outcome")
        let acknowledged = Set(outcomes.filter { $0.value == "200" }.keys)
        let others = Set(outcomes.values).subtracting(["200", "000"])
        #expect(others.isEmpty, "only 200 or no answer (000) expected, got \(others)")
        #expect(acknowledged.count >= Self.pushes / 4, "\(acknowledged.count) acknowledged")
        #expect(acknowledged.count < Self.pushes, "the kill came mid-way (after \(killedAfter) answers)")

        try await receiver.restart()
        let store = receiver.store
        expectSame(try await store.integrityCheck(), "ok")
        let stored = try await store.rows(
            "SELECT t, rows, total_views, count(*) OVER (PARTITION BY t) AS copies FROM snapshots ORDER BY t")
        var storedByIndex: [Int: [String: Any]] = [:]
        for row in stored {
            let index = (row["t"] as? Int ?? -1) - Int(base)
            #expect((0..<Self.pushes).contains(index), "a snapshot nobody sent: \(JSON.canonical(row))")
            #expect(row["copies"] as? Int == 1, "stored more than once: \(JSON.canonical(row))")
            let (rows, total) = Self.expected(index)
            #expect(
                row["rows"] as? Int == rows && row["total_views"] as? Int == total,
                "snapshot \(index): \(JSON.canonical(row))")
            storedByIndex[index] = row
        }
        let lost = acknowledged.subtracting(storedByIndex.keys).sorted()
        #expect(lost.isEmpty, "acknowledged but missing after the crash: \(lost)")

        // The series equals what in-order arrival of the same snapshots stores.
        let reference = try await ReceiverProcess(in: directory, store: "reference.db")
        let replay = try await Shell.bash(
            Self.pushFunction + """

                for i in $INDEXES; do push $i "$OUT/reference"; done
                """,
            environment: [
                "URL": reference.url, "BASE": String(base), "OUT": results,
                "INDEXES": storedByIndex.keys.sorted().map(String.init).joined(separator: " "),
            ], timeout: 120)
        #expect(replay.status == 0, "\(replay.summary)")
        let referenceOutcomes = Self.readResults(results, file: "reference")
        #expect(Set(referenceOutcomes.values) == ["200"], "\(referenceOutcomes)")
        for (table, sql) in [
            ("samples", StoreFile.samplesByID), ("names", StoreFile.namesByID),
            ("snapshots", "SELECT t, rows, total_views, gained FROM snapshots ORDER BY t"),
            ("posts", "SELECT id, first_seen FROM posts ORDER BY id"),
        ] {
            let crashed = try await store.json(sql)
            let inOrder = try await reference.store.json(sql)
            #expect(
                crashed == inOrder, "\(table) differ from in-order arrival:\ncrashed:  \(crashed)\nin order: \(inOrder)"
            )
        }

        // And the restarted receiver takes new pushes.
        let after = try await Curl.push(receiver.url("/stats"), CSVBody([("p1", "one", 5000, "One")]).text)
        #expect(after.status == 200, "\(after.summary)")
        expectSame(try await receiver.terminate().status, 0, "\(receiver.log)")
    }

    /// "i status" lines of the worker files (or of one file), by push index.
    static func readResults(_ directory: String, file: String? = nil) -> [Int: String] {
        let names =
            file.map { [$0] }
            ?? ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { $0.hasPrefix("worker-") }
        var results: [Int: String] = [:]
        for name in names {
            let text = (try? String(contentsOfFile: directory + "/" + name, encoding: .utf8)) ?? ""
            for line in text.split(separator: "\n") {
                let parts = line.split(separator: " ")
                if parts.count == 2, let index = Int(parts[0]) { results[index] = String(parts[1]) }
            }
        }
        return results
    }
}
