import Foundation
import Testing

/// Listening on IPv6 loopback and serving HTTPS with a certificate made by `openssl`.
@Suite struct ListenTransportTests {
    /// ::1 is configured (containers often have IPv6 off).
    static var ipv6LoopbackAvailable: Bool {
        let table = TCPConnections.procFile("/proc/net/if_inet6")
        return table.contains("00000000000000000000000000000001")
    }

    @Test(.enabled(if: ipv6LoopbackAvailable, "no IPv6 loopback"))
    func ipv6Loopback() async throws {
        let directory = try TemporaryDirectory()
        let receiver = try await ReceiverProcess(in: directory, store: "store.db", listen: "[::1]:0")
        #expect(receiver.host == "[::1]", "\(receiver.log)")
        let health = try await Curl.request(receiver.url("/healthz"), arguments: ["-g"])
        #expect(health.status == 200, "\(health.summary)")
        // ::1 is loopback: allowed to push with no token and no allow-list.
        let push = try await Curl.push(receiver.url("/stats"), CSVBody([("p", "s", 3, "T")]).text, arguments: ["-g"])
        #expect(push.status == 200, "\(push.summary)")
        let line = try await receiver.waitForLine(containing: "POST /stats")
        #expect(line?.hasPrefix("::1 POST /stats 200 ") == true, "\(receiver.log)")
        // Listening on ::1 only: 127.0.0.1 with the same port number does not reach it (another
        // process may own that IPv4 port, so the proof is this receiver's log, not the answer).
        _ = try await Curl.request("http://127.0.0.1:\(receiver.port)/healthz", timeout: 5)
        try await Task.sleep(for: .milliseconds(100))
        #expect(!receiver.lines().contains { $0.hasPrefix("127.0.0.1 ") }, "\(receiver.log)")
    }

    /// `[::]` takes IPv4 clients too; 127.0.0.1 arriving as ::ffff:127.0.0.1 is still loopback.
    @Test(.enabled(if: ipv6LoopbackAvailable, "no IPv6 loopback"))
    func dualStackTreatsMappedIPv4LoopbackAsLoopback() async throws {
        let directory = try TemporaryDirectory()
        let receiver = try await ReceiverProcess(in: directory, listen: "[::]:0")
        #expect(receiver.host == "[::]", "\(receiver.log)")
        let push = try await Curl.push(
            "http://127.0.0.1:\(receiver.port)/stats", CSVBody([("p", "s", 3, "T")]).text,
            headers: [CaptureTime.header(CaptureTime.now() - 5)])
        #expect(push.status == 200, "\(push.summary)")
        let line = try await receiver.waitForLine(containing: "POST /stats")
        #expect(line?.hasPrefix("127.0.0.1 POST /stats 200 ") == true, "\(receiver.log)")
    }

    @Test(.enabled(if: Shell.isInstalled("openssl"), "openssl not installed"))
    func tlsWithASelfSignedCertificate() async throws {
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
        let receiver = try await ReceiverProcess(
            in: directory, store: "store.db", arguments: ["--tls-cert", cert, "--tls-key", key])
        #expect(receiver.scheme == "https", "\(receiver.log)")
        let body = CSVBody([("p", "s", 3, "T, with a comma")]).text
        let insecure = try await Curl.push(receiver.url("/stats"), body, arguments: ["-k"])
        #expect(insecure.status == 200, "\(insecure.summary)")
        // Verified against the certificate itself, not just -k.
        let verified = try await Curl.request(receiver.url("/healthz"), arguments: ["--cacert", cert])
        #expect(verified.status == 200, "\(verified.summary)")
        #expect(verified.object?["writable"] as? Bool == true)
        let unverified = try await Curl.request(receiver.url("/healthz"))
        #expect(unverified.status == 0 && unverified.curlExit == 60, "an unknown CA is refused: \(unverified.summary)")
        let plain = try await Curl.request("http://127.0.0.1:\(receiver.port)/healthz", timeout: 5)
        #expect(plain.status != 200, "plain HTTP on the TLS port: \(plain.summary)")
        expectSame(try await receiver.store.json("SELECT n.title FROM names n"), #"[{"title":"T, with a comma"}]"#)
    }
}
