import Foundation
import Testing

/// Who may push: tokens (bound to a blog or not), allow-listed addresses, loopback by default,
/// and `X-Forwarded-For` believed only from a trusted proxy.
@Suite struct PushAuthorizationTests {
    static let body = CSVBody([("p1", "one", 5, "One"), ("p2", "two", 7, "Two")]).text
    static let generalToken = "g3n3ral-t0ken-0123456789abcdef"
    static let notesToken = "notes-only-token-fedcba9876543210"

    @Test func tokensValidInvalidMissingAndBoundToABlog() async throws {
        let directory = try TemporaryDirectory()
        let general = try directory.write("general.token", Self.generalToken + "\n")
        let notes = try directory.write("notes.token", "  " + Self.notesToken + "\n\n")
        let receiver = try await ReceiverProcess(
            in: directory, store: "store.db",
            arguments: ["--push-token-file", general, "--push-token-file", notes + ":notes"])
        let stats = receiver.url("/stats")
        let base = CaptureTime.now() - 600

        for (headers, why) in [
            ([], "no token"),
            (["Authorization: Bearer wrong-token-0123456789abcdef"], "unknown token"),
            (["Authorization: Bearer " + Self.generalToken.dropLast()], "a prefix of a valid token"),
            (["Authorization: Bearer " + Self.generalToken + "x"], "a valid token plus a character"),
            (["Authorization: Basic " + Data(("x:" + Self.generalToken).utf8).base64EncodedString()], "Basic scheme"),
        ] as [([String], String)] {
            let answer = try await Curl.push(stats, Self.body, headers: headers + [CaptureTime.header(base)])
            #expect(answer.status == 401, "\(why): \(answer.summary)")
            #expect(answer.headers["www-authenticate"] == "Bearer", "\(why): \(answer.headers)")
            #expect(answer.errorLocation == "{}" && !answer.errorMessage.isEmpty, "\(why): \(answer.summary)")
        }
        expectSame(try await receiver.store.integer("SELECT count(*) FROM snapshots"), 0)
        expectSame(try await receiver.store.integer("SELECT count(*) FROM blogs"), 0)

        // An unbound token may push to the default blog and to any other.
        let ok = try await Curl.push(
            stats, Self.body, headers: ["Authorization: Bearer " + Self.generalToken, CaptureTime.header(base)])
        #expect(ok.status == 200, "\(ok.summary)")
        #expect(ok.object?["blog"] as? String == "default")
        let travel = try await Curl.push(
            stats + "?blog=travel", Self.body,
            headers: ["Authorization: bearer " + Self.generalToken, CaptureTime.header(base)])
        #expect(travel.status == 200, "the scheme is case-insensitive: \(travel.summary)")
        #expect(travel.object?["blog"] as? String == "travel")

        // A token bound to `notes` may push there only; without ?blog= it pushes to notes.
        let bound = "Authorization: Bearer " + Self.notesToken
        let wrongBlog = try await Curl.push(
            stats + "?blog=travel", Self.body, headers: [bound, CaptureTime.header(base + 1)])
        #expect(wrongBlog.status == 403, "\(wrongBlog.summary)")
        #expect(wrongBlog.errorLocation == #"{"field":"blog"}"#, "\(wrongBlog.summary)")
        let wrongColumn = try await Curl.push(
            stats, "id,slug,view_count,title,blog\r\np1,one,5,One,travel\r\n",
            headers: [bound, CaptureTime.header(base + 1)])
        #expect(wrongColumn.status == 403, "a blog column naming another blog: \(wrongColumn.summary)")
        let notesOK = try await Curl.push(
            stats + "?blog=notes", Self.body, headers: [bound, CaptureTime.header(base + 1)])
        #expect(notesOK.status == 200, "\(notesOK.summary)")
        #expect(notesOK.object?["blog"] as? String == "notes")
        let implied = try await Curl.push(
            stats, CSVBody([("p1", "one", 6, "One"), ("p2", "two", 7, "Two")]).text,
            headers: [bound, CaptureTime.header(base + 2)])
        #expect(implied.status == 200, "\(implied.summary)")
        #expect(
            implied.canonical
                == JSON.canonical(
                    [
                        "blog": "notes", "captured_at": CaptureTime.format(base + 2), "rows": 2, "changed": 1, "new": 0,
                        "removed": 0, "returned": 0, "resets": 0, "duplicate": false,
                    ] as [String: Any]))

        expectSame(
            try await receiver.store.json(
                """
                SELECT b.name, s.t, s.rows, s.total_views FROM snapshots s JOIN blogs b USING(blog_key) ORDER BY 1, 2
                """),
            JSON.canonical(
                [
                    ["name": "default", "t": base, "rows": 2, "total_views": 12],
                    ["name": "notes", "t": base + 1, "rows": 2, "total_views": 12],
                    ["name": "notes", "t": base + 2, "rows": 2, "total_views": 13],
                    ["name": "travel", "t": base, "rows": 2, "total_views": 12],
                ] as [[String: Any]]))
    }

    @Test func allowListForForwardedClientsBehindATrustedProxy() async throws {
        let directory = try TemporaryDirectory()
        let receiver = try await ReceiverProcess(
            in: directory, store: "store.db",
            arguments: ["--allow", "198.51.100.0/24", "--allow", "2001:db8::/32", "--trust-proxy", "127.0.0.1/32"])
        let stats = receiver.url("/stats")
        let time = CaptureTime.now() - 600
        let cases: [(String?, Int, String)] = [
            ("198.51.100.7", 200, "inside the allowed IPv4 range"),
            ("2001:db8::5", 200, "inside the allowed IPv6 range"),
            ("203.0.113.9", 403, "outside the allow-list"),
            // The nearest untrusted hop is the client; what it claims further left is not believed.
            ("203.0.113.9, 198.51.100.7", 200, "a chain whose last hop is allowed"),
            ("198.51.100.7, 203.0.113.9", 403, "a chain whose last hop is not allowed"),
            // With an allow-list, loopback is not implicitly allowed.
            (nil, 403, "loopback, not on the allow-list"),
        ]
        for (index, (forwarded, status, why)) in cases.enumerated() {
            var headers = [CaptureTime.header(time + Int64(index))]
            if let forwarded { headers.append("X-Forwarded-For: \(forwarded)") }
            let answer = try await Curl.push(stats, Self.body, headers: headers)
            #expect(answer.status == status, "\(why): \(answer.summary)")
            if status == 403 {
                #expect(answer.errorMessage.contains("allow-list"), "\(why): \(answer.summary)")
            }
        }
        expectSame(
            try await receiver.store.json("SELECT t FROM snapshots ORDER BY t"),
            JSON.canonical([["t": time], ["t": time + 1], ["t": time + 3]]))
    }

    @Test func allowListAndTokensTogether() async throws {
        let directory = try TemporaryDirectory()
        let general = try directory.write("general.token", Self.generalToken)
        let receiver = try await ReceiverProcess(
            in: directory, store: "store.db",
            arguments: ["--allow", "198.51.100.0/24", "--trust-proxy", "127.0.0.1/32", "--push-token-file", general])
        let stats = receiver.url("/stats")
        let time = CaptureTime.now() - 600
        let allowed = try await Curl.push(
            stats, Self.body, headers: ["X-Forwarded-For: 198.51.100.7", CaptureTime.header(time)])
        #expect(allowed.status == 200, "allowed address, no token: \(allowed.summary)")
        let stranger = try await Curl.push(
            stats, Self.body, headers: ["X-Forwarded-For: 203.0.113.9", CaptureTime.header(time + 1)])
        #expect(stranger.status == 401, "other address, no token: \(stranger.summary)")
        #expect(stranger.headers["www-authenticate"] == "Bearer")
        let withToken = try await Curl.push(
            stats, Self.body,
            headers: [
                "X-Forwarded-For: 203.0.113.9", "Authorization: Bearer " + Self.generalToken,
                CaptureTime.header(time + 2),
            ])
        #expect(withToken.status == 200, "other address, valid token: \(withToken.summary)")
        expectSame(
            try await receiver.store.json("SELECT t FROM snapshots ORDER BY t"),
            JSON.canonical([["t": time], ["t": time + 2]]))
    }

    @Test func withoutTokensOrAllowListOnlyLoopbackMayPush() async throws {
        let directory = try TemporaryDirectory()
        let receiver = try await ReceiverProcess(
            in: directory, store: "store.db", arguments: ["--trust-proxy", "127.0.0.1/32"])
        let stats = receiver.url("/stats")
        let time = CaptureTime.now() - 600
        let remote = try await Curl.push(
            stats, Self.body, headers: ["X-Forwarded-For: 203.0.113.9", CaptureTime.header(time)])
        #expect(remote.status == 403, "\(remote.summary)")
        #expect(remote.errorMessage.contains("loopback"), "\(remote.summary)")
        let local = try await Curl.push(stats, Self.body, headers: [CaptureTime.header(time + 1)])
        #expect(local.status == 200, "\(local.summary)")
        expectSame(try await receiver.store.json("SELECT t FROM snapshots"), JSON.canonical([["t": time + 1]]))
    }

    @Test func forwardedForFromAnUntrustedPeerIsIgnored() async throws {
        let directory = try TemporaryDirectory()
        // No proxy trusted and no credentials: a forwarded request may come from anyone through a
        // same-host proxy, so loopback alone does not let it push…
        let open = try await ReceiverProcess(in: directory, store: "open.db")
        let time = CaptureTime.now() - 600
        let proxied = try await Curl.push(
            open.url("/stats"), Self.body, headers: ["X-Forwarded-For: 203.0.113.9", CaptureTime.header(time)])
        #expect(proxied.status == 403 && proxied.errorMessage.contains("--trust-proxy"), "\(proxied.summary)")
        let direct = try await Curl.push(open.url("/stats"), Self.body, headers: [CaptureTime.header(time)])
        #expect(direct.status == 200, "\(direct.summary)")
        // …nor make an address look allowed.
        let listed = try await ReceiverProcess(
            in: directory, store: "listed.db", arguments: ["--allow", "198.51.100.0/24"])
        let spoofedAllowed = try await Curl.push(
            listed.url("/stats"), Self.body, headers: ["X-Forwarded-For: 198.51.100.7", CaptureTime.header(time)])
        #expect(spoofedAllowed.status == 403, "\(spoofedAllowed.summary)")
        expectSame(try await listed.store.integer("SELECT count(*) FROM snapshots"), 0)
    }
}
