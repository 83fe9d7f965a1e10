import Foundation
import Testing

/// The `--influx-*` flags of `blogstats serve`: in the help, and every wrong combination
/// refused with exit code 2 and a message naming the flag.
@Suite struct InfluxCommandLineTests {
    static let flags = [
        "influx-url", "influx-db", "influx-rp", "influx-user", "influx-password-file", "influx-org",
        "influx-bucket", "influx-token-file", "influx-mode", "influx-batch", "influx-gzip",
        "influx-requests",
    ]

    @Test func helpListsTheInfluxFlags() async throws {
        let result = try await Shell.run(BlogstatsBinary.path, ["serve", "--help"], timeout: 10)
        #expect(result.status == 0, "\(result.summary)")
        for flag in Self.flags {
            let environment = "BLOGSTATS_" + flag.uppercased().replacingOccurrences(of: "-", with: "_")
            #expect(result.output.contains("  --\(flag)"), "--\(flag) missing from help")
            #expect(result.output.contains("[env \(environment)]"), "\(environment) missing from help")
        }
    }

    static let url = ["--influx-url", "http://127.0.0.1:8086"]

    static let mistakes: [CommandLineTests.Mistake] = [
        .init(arguments: ["--influx-db", "blog"], message: "--influx-db needs --influx-url"),
        .init(arguments: ["--influx-url", "ftp://x", "--influx-db", "blog"], message: "not an http(s) address"),
        .init(arguments: url, message: "needs --influx-db (InfluxDB 1.x) or --influx-org"),
        .init(arguments: url + ["--influx-db", "b", "--influx-org", "o"], message: "do not go together"),
        .init(arguments: url + ["--influx-org", "o", "--influx-bucket", "b"], message: "missing: --influx-token-file"),
        .init(arguments: url + ["--influx-db", "b", "--influx-user", "u"], message: "go together"),
        .init(arguments: url + ["--influx-rp", "autogen"], message: "--influx-rp needs --influx-db"),
        .init(arguments: url + ["--influx-db", "b", "--influx-mode", "some"], message: "all or changed"),
        .init(arguments: url + ["--influx-db", "b", "--influx-batch", "0"], message: "--influx-batch"),
        .init(arguments: url + ["--influx-db", "b", "--influx-requests", "17"], message: "--influx-requests"),
        .init(
            arguments: url + ["--influx-org", "o", "--influx-bucket", "b", "--influx-token-file", "/nonexistent"],
            message: "cannot read"),
    ]

    @Test(arguments: mistakes)
    func aBadCombinationExits2(_ mistake: CommandLineTests.Mistake) async throws {
        let directory = try TemporaryDirectory()
        let result = try await Shell.run(
            BlogstatsBinary.path,
            ["serve", "--data", directory.path("store.db"), "--listen", "127.0.0.1:0"] + mistake.arguments, timeout: 10)
        #expect(result.status == 2 && !result.signalled, "\(result.summary)")
        #expect(result.errorOutput.contains(mistake.message), "\(result.summary)")
        #expect(!FileManager.default.fileExists(atPath: directory.path("store.db")), "no store created on bad usage")
    }

    @Test func theEnvironmentTurnsTheMirrorOn() async throws {
        let directory = try TemporaryDirectory()
        let receiver = try await ReceiverProcess(
            in: directory,
            environment: ["BLOGSTATS_INFLUX_URL": "http://127.0.0.1:9", "BLOGSTATS_INFLUX_DB": "blog"])
        let health = try JSONValue.parse(Array(try await Curl.request(receiver.url("/healthz")).body))
        #expect(health["influx"]?["target"]?.string == "http://127.0.0.1:9 db blog")
        #expect(health["influx"]?["mode"]?.string == "all")
        try await receiver.terminate()
    }
}
