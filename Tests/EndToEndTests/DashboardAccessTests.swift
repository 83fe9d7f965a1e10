import Foundation
import Testing

/// Who may open the dashboard: anyone on a loopback-only receiver from loopback; from
/// elsewhere (a client named by a trusted proxy) a session from the password form or a read
/// token; wrong passwords are refused and, repeated, throttled.
@Suite struct DashboardAccessTests {
    static let password = "correct horse battery"
    static let readToken = "read-token-0123456789abcdef"
    static let remote = "X-Forwarded-For: 203.0.113.9"
    static let otherRemote = "X-Forwarded-For: 203.0.113.10"

    static func form(_ fields: [(String, String)]) -> Data {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return Data(
            fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }.joined(
                separator: "&"
            )
            .utf8)
    }

    static func signIn(_ receiver: ReceiverProcess, _ password: String, as client: String, next: String = "/")
        async throws -> HTTPAnswer
    {
        try await Curl.request(
            receiver.url("/login"), method: "POST", body: form([("password", password), ("next", next)]),
            headers: [client, "Content-Type: application/x-www-form-urlencoded"])
    }

    @Test func passwordSessionAndTokenForRemoteReaders() async throws {
        let directory = try TemporaryDirectory()
        let passwordFile = try directory.write("password", Self.password + "\n")
        let tokenFile = try directory.write("read-token", Self.readToken)
        let receiver = try await ReceiverProcess(
            in: directory,
            arguments: [
                "--trust-proxy", "127.0.0.1/32", "--read-password-file", passwordFile, "--read-token-file", tokenFile,
            ])
        #expect(try await Curl.push(receiver.url("/stats"), CSVBody([("a", "alpha", 5, "Alpha")]).text).status == 200)

        // Without a credential a remote browser is sent to the form, with the way back.
        let home = try await Curl.request(receiver.url("/"), headers: [Self.remote])
        #expect(home.status == 303, "\(home.summary)")
        #expect(home.headers["location"] == "/login?next=%2F")
        let deep = try await Curl.request(receiver.url("/posts/default/a?from=24h"), headers: [Self.remote])
        #expect(deep.headers["location"] == "/login?next=%2Fposts%2Fdefault%2Fa%3Ffrom%3D24h", "\(deep.headers)")
        #expect(!deep.text.contains("Alpha"))
        let form = try await Curl.request(receiver.url("/login?next=%2Fposts%2Fdefault%2Fa"), headers: [Self.remote])
        #expect(form.status == 200)
        #expect(form.text.contains("type=\"password\""))
        #expect(form.text.contains("name=\"next\" value=\"/posts/default/a\""))
        #expect(form.headers["content-security-policy"]?.hasPrefix("default-src 'self'") == true)

        // Wrong passwords: refused, then throttled, and then even the right one waits.
        for attempt in 1...5 {
            let wrong = try await Self.signIn(receiver, "wrong password \(attempt)", as: Self.remote)
            #expect(wrong.status == 401, "attempt \(attempt): \(wrong.summary)")
            #expect(wrong.text.contains("That password is not right."))
            #expect(wrong.headers["set-cookie"] == nil)
        }
        let throttled = try await Self.signIn(receiver, Self.password, as: Self.remote)
        #expect(throttled.status == 429, "\(throttled.summary)")
        #expect((Int(throttled.headers["retry-after"] ?? "") ?? 0) > 800, "\(throttled.headers)")
        #expect(throttled.headers["set-cookie"] == nil)

        // Another address signs in: a session cookie, and the way back.
        let signedIn = try await Self.signIn(receiver, Self.password, as: Self.otherRemote, next: "/posts/default/a")
        #expect(signedIn.status == 303, "\(signedIn.summary)")
        #expect(signedIn.headers["location"] == "/posts/default/a")
        let cookie = try #require(signedIn.headers["set-cookie"])
        let parts = cookie.components(separatedBy: "; ")
        let pair = try #require(parts.first)
        #expect(pair.hasPrefix("blogstats_session=") && pair.count == "blogstats_session=".count + 64, "\(cookie)")
        #expect(
            parts.contains("HttpOnly") && parts.contains("SameSite=Strict") && parts.contains("Path=/"), "\(cookie)")
        #expect(!parts.contains("Secure"), "no TLS here: \(cookie)")
        let offsite = try await Self.signIn(receiver, Self.password, as: Self.otherRemote, next: "//evil.example/")
        #expect(offsite.headers["location"] == "/", "only local paths: \(offsite.headers)")

        let withCookie = try await Curl.request(receiver.url("/"), headers: [Self.remote, "Cookie: \(pair)"])
        #expect(withCookie.status == 200, "\(withCookie.summary)")
        #expect(withCookie.text.contains("<svg class=\"chart-svg bars\"") && withCookie.text.contains("Sign out"))
        let forged = String(pair.dropLast()) + (pair.hasSuffix("0") ? "1" : "0")
        let withForged = try await Curl.request(receiver.url("/"), headers: [Self.remote, "Cookie: \(forged)"])
        #expect(withForged.status == 303, "\(withForged.summary)")

        // A read token works for scripts; a wrong one is refused, not redirected.
        let token = try await Curl.request(
            receiver.url("/posts/default/a"), headers: [Self.remote, "Authorization: Bearer \(Self.readToken)"])
        #expect(token.status == 200, "\(token.summary)")
        let badToken = try await Curl.request(
            receiver.url("/"), headers: [Self.remote, "Authorization: Bearer \(Self.readToken)x"])
        #expect(badToken.status == 401, "\(badToken.summary)")
        #expect(badToken.headers["www-authenticate"] == "Bearer")

        // Loopback readers of a loopback-only receiver need nothing; assets are public.
        #expect(try await Curl.request(receiver.url("/")).status == 200)
        let css = try await Curl.request(receiver.url("/static/app.css"), headers: [Self.remote])
        #expect(css.status == 200 && css.headers["content-type"] == "text/css; charset=utf-8", "\(css.summary)")

        // Signing out ends the session on the server, not only in the browser.
        let out = try await Curl.request(
            receiver.url("/logout"), method: "POST", body: Data(), headers: [Self.remote, "Cookie: \(pair)"])
        #expect(out.status == 303 && out.headers["location"] == "/login", "\(out.summary)")
        #expect(out.headers["set-cookie"]?.contains("Max-Age=0") == true)
        let afterOut = try await Curl.request(receiver.url("/"), headers: [Self.remote, "Cookie: \(pair)"])
        #expect(afterOut.status == 303, "\(afterOut.summary)")
        let log = receiver.log
        #expect(log.contains("login: wrong password from 203.0.113.9"), "\(log)")
        #expect(!log.contains(Self.password))
    }

    @Test func withoutACredentialRemoteReadersAreRefused() async throws {
        let directory = try TemporaryDirectory()
        let receiver = try await ReceiverProcess(in: directory, arguments: ["--trust-proxy", "127.0.0.1/32"])
        #expect(try await Curl.push(receiver.url("/stats"), CSVBody([("a", "alpha", 5, "Alpha")]).text).status == 200)
        for path in ["/", "/blogs/default", "/posts/default/a"] {
            let page = try await Curl.request(receiver.url(path), headers: [Self.remote])
            #expect(page.status == 403, "\(path): \(page.summary)")
            #expect(page.text.contains("--read-password-file") && !page.text.contains("Alpha"), "\(path)")
            #expect(page.headers["content-type"] == "text/html; charset=utf-8")
        }
        let form = try await Curl.request(receiver.url("/login"), headers: [Self.remote])
        #expect(form.status == 200 && !form.text.contains("type=\"password\""), "\(form.summary)")
        let post = try await Self.signIn(receiver, Self.password, as: Self.remote)
        #expect(post.status == 403 && post.headers["set-cookie"] == nil, "\(post.summary)")
        #expect(try await Curl.request(receiver.url("/")).status == 200, "loopback still reads")
    }

    @Test func dashboardFlagsAreChecked() async throws {
        let directory = try TemporaryDirectory()
        let short = try directory.write("short", "abc\n")
        let cases: [([String], String)] = [
            (["--read-password-file", short], "the password must be at least 8 characters"),
            (["--read-password-file", directory.path("missing")], "cannot read the file"),
            (["--blog-url", "https://blog.example.org"], "expected BLOG=URL"),
            (["--blog-url", "default=ftp://blog.example.org"], "is not an http(s) address"),
            (["--blog-url", "default=javascript:alert(1)"], "is not an http(s) address"),
        ]
        for (arguments, message) in cases {
            let result = try await Shell.run(
                BlogstatsBinary.path,
                ["serve", "--listen", "127.0.0.1:0", "--data", directory.path("store.db")] + arguments)
            #expect(result.status == 2, "\(arguments): \(result.summary)")
            #expect(result.errorOutput.contains(message), "\(arguments): \(result.summary)")
        }
    }

    @Test(.enabled(if: Shell.isInstalled("openssl"), "openssl not installed"))
    func sessionCookieIsSecureUnderTLS() async throws {
        let directory = try TemporaryDirectory()
        let cert = directory.path("cert.pem")
        let key = directory.path("key.pem")
        let made = try await Shell.run(
            "openssl",
            [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
                "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert,
            ])
        try #require(made.status == 0, "\(made.summary)")
        let passwordFile = try directory.write("password", Self.password)
        let receiver = try await ReceiverProcess(
            in: directory,
            arguments: ["--tls-cert", cert, "--tls-key", key, "--read-password-file", passwordFile])
        let answer = try await Curl.request(
            receiver.url("/login"), method: "POST", body: Self.form([("password", Self.password)]),
            headers: ["Content-Type: application/x-www-form-urlencoded"], arguments: ["--cacert", cert])
        #expect(answer.status == 303, "\(answer.summary)")
        #expect(answer.headers["set-cookie"]?.hasSuffix("; Secure") == true, "\(answer.headers)")
    }
}
