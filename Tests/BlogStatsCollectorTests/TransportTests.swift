import Foundation
import Testing

/// How `blogstats push` reaches the receiver: HTTPS with a certificate it was told to trust,
/// and a clear failure when libcurl (loaded at run time) is missing.
@Suite struct TransportTests {
    static let snapshot = "id,slug,view_count,title\na,s,1,\"T, with a comma\"\n"

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl"), "openssl not installed"))
    func pushOverHTTPSToASelfSignedReceiver() async throws {
        let directory = try TemporaryDirectory()
        let cert = directory.path("cert.pem")
        let key = directory.path("key.pem")
        let made = try await Command.run(
            "/usr/bin/openssl",
            [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
                "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert,
            ])
        try #require(made.status == 0, "\(made.summary)")
        let receiver = try await Receiver(
            store: directory.path("store.db"), arguments: ["--tls-cert", cert, "--tls-key", key])
        #expect(receiver.url.hasPrefix("https://"))
        let file = try directory.write("one.csv", Self.snapshot)
        let spool = SpoolFiles(directory: directory.path("spool"))
        let push = ["push", "--csv", file, "--to", receiver.url, "--spool", spool.directory]

        // Not trusted by the system: refused, and the snapshot waits in the spool.
        let refused = try await Command.blogstats(push + ["--captured-at", rfc3339(nowSeconds() - 120)])
        #expect(refused.status == 6, "\(refused.summary)")
        #expect(refused.stderr.contains("TLS with 127.0.0.1 failed"), "\(refused.stderr)")
        #expect(spool.snapshots.count == 1)

        // Trusted with --ca-file: the spooled snapshot and the fresh one both arrive.
        let trusted = try await Command.blogstats(push + ["--ca-file", cert])
        #expect(trusted.status == 0, "\(trusted.summary)")
        #expect(spool.snapshots.isEmpty)
        #expect(try await receiver.captureTimes(blog: "default").count == 2)
        try await receiver.stop()
    }

    @Test func aMissingLibcurlIsSaidClearlyBeforeAnythingIsSentOrSpooled() async throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("one.csv", Self.snapshot)
        let spool = SpoolFiles(directory: directory.path("spool"))
        let result = try await Command.blogstats(
            ["push", "--csv", file, "--to", "http://127.0.0.1:9/stats", "--spool", spool.directory],
            environment: ["BLOGSTATS_LIBCURL": directory.path("libcurl.so.4")])
        #expect(result.status == 1, "\(result.summary)")
        #expect(
            result.stderr.hasPrefix("blogstats push needs libcurl (Debian package libcurl4): "), "\(result.stderr)")
        #expect(result.stderr.contains("libcurl.so.4"), "\(result.stderr)")
        #expect(spool.snapshots.isEmpty)
    }

    @Test func caFileMustExist() async throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("one.csv", Self.snapshot)
        let result = try await Command.blogstats([
            "push", "--csv", file, "--to", "https://127.0.0.1:9/stats", "--ca-file", directory.path("missing.pem"),
        ])
        #expect(result.status == 2, "\(result.summary)")
        #expect(result.stderr.contains("--ca-file"), "\(result.stderr)")
    }
}
