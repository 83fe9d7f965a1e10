import Foundation
import Testing

/// The running receiver packs closed days into sealed blocks in the background, and nothing it
/// answers changes; a late snapshot into a sealed day is still stored as in-order arrival.
@Suite struct SealingTests {
    /// A snapshot every 3 hours over the last four days: three or four closed UTC days.
    static func history(now: Int64) -> [(Int64, CSVBody)] {
        let first = now - 4 * 86_400
        return (0..<32).map { index in
            let time = first + Int64(index) * 3 * 3600
            var rows: [(id: String, slug: String, views: Int, title: String)] = [
                ("a", "alpha", 100 + index * index, "Alpha"),
                ("b", index < 10 ? "beta" : "beta-2", 50 + index / 3, "Beta"),
            ]
            // c is away for a day and comes back; d resets once.
            if index < 12 || index > 20 { rows.append(("c", "gamma", 7 + index, "Gamma")) }
            rows.append(("d", "delta", index == 25 ? 3 : 200 + index, "Delta"))
            return (time, CSVBody(rows))
        }
    }

    static func answers(_ receiver: ReceiverProcess, from: Int64, to: Int64) async throws -> [String] {
        let window = "from=\(CaptureTime.format(from))&to=\(CaptureTime.format(to))"
        var paths = [
            "/api/v1/posts?\(window)",
            "/api/v1/posts?from=\(CaptureTime.format(to - 86_400 - 5000))&to=\(CaptureTime.format(to))",
            "/api/v1/blogs/default/series?\(window)&step=1h",
            "/api/v1/export.csv?kind=snapshots", "/api/v1/export.csv?kind=samples",
        ]
        for id in ["a", "b", "c", "d"] {
            paths.append("/api/v1/posts/default/\(id)/series?\(window)&step=3h")
            paths.append("/api/v1/posts/default/\(id)/series?\(window)&step=1d")
        }
        var all: [String] = []
        for path in paths {
            let answer = try await Curl.request(receiver.url(path))
            #expect(answer.status == 200, "\(path): \(answer.summary)")
            all.append(path + "\n" + answer.text)
        }
        return all
    }

    @Test func theReceiverSealsClosedDaysAndAnswersTheSame() async throws {
        let directory = try TemporaryDirectory()
        let now = CaptureTime.now()
        let history = Self.history(now: now)
        let held = [5, 17]
        let plain = try await ReceiverProcess(in: directory, store: "plain.db")
        let sealing = try await ReceiverProcess(
            in: directory, store: "sealing.db", arguments: ["--retention-interval", "1s"])
        for (index, (time, body)) in history.enumerated() {
            let answer = try await Curl.push(plain.url("/stats"), body.text, headers: [CaptureTime.header(time)])
            #expect(answer.status == 200, "\(answer.summary)")
            guard !held.contains(index) else { continue }
            let sealed = try await Curl.push(sealing.url("/stats"), body.text, headers: [CaptureTime.header(time)])
            #expect(sealed.status == 200, "\(sealed.summary)")
        }
        let line = try await sealing.waitForLine(containing: "sealed", timeout: 20)
        #expect(line != nil, "no sealing in the log: \(sealing.log)")
        #expect(try await sealing.store.integer("SELECT count(*) FROM sample_blocks") > 0)

        // Late snapshots into sealed days, and a replay of one.
        for index in held {
            let (time, body) = history[index]
            let answer = try await Curl.push(sealing.url("/stats"), body.text, headers: [CaptureTime.header(time)])
            #expect(answer.status == 200 && answer.object?["duplicate"] as? Bool == false, "\(answer.summary)")
        }
        let replay = try await Curl.push(
            sealing.url("/stats"), history[3].1.text, headers: [CaptureTime.header(history[3].0)])
        #expect(replay.status == 200 && replay.object?["duplicate"] as? Bool == true, "\(replay.summary)")
        var changed = history[3].1
        changed.rows[0].views += 1
        let conflict = try await Curl.push(
            sealing.url("/stats"), changed.text, headers: [CaptureTime.header(history[3].0)])
        #expect(conflict.status == 409, "\(conflict.summary)")

        // Sealed again after the late ones, and every answer is the plain store's.
        try await Task.sleep(for: .seconds(3))
        #expect(try await sealing.store.integer("SELECT count(*) FROM sample_blocks") > 0)
        let from = history[0].0 - 7
        let to = now + 1
        let expected = try await Self.answers(plain, from: from, to: to)
        let actual = try await Self.answers(sealing, from: from, to: to)
        for (left, right) in zip(actual, expected) { #expect(left == right) }
        #expect(try await sealing.store.integrityCheck() == "ok")
    }
}
