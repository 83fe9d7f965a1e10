import BlogStatsMirror
import Foundation

/// `blogstats serve`'s InfluxDB mirror options.
extension ServeCommand {
    static let influxSpecs: [OptionSpec] = [
        OptionSpec(
            name: "influx-url", value: "URL",
            help: "also write every snapshot to this InfluxDB, e.g. http://127.0.0.1:8086 (see docs/influxdb.md)"),
        OptionSpec(name: "influx-db", value: "DB", help: "InfluxDB 1.x database (the old stack's, e.g. blog)"),
        OptionSpec(name: "influx-rp", value: "RP", help: "InfluxDB 1.x retention policy (default: the database's)"),
        OptionSpec(name: "influx-user", value: "USER", help: "InfluxDB 1.x user (needs --influx-password-file)"),
        OptionSpec(name: "influx-password-file", value: "FILE", help: "file holding the InfluxDB 1.x user's password"),
        OptionSpec(name: "influx-org", value: "ORG", help: "InfluxDB 2.x organisation"),
        OptionSpec(name: "influx-bucket", value: "BUCKET", help: "InfluxDB 2.x bucket"),
        OptionSpec(name: "influx-token-file", value: "FILE", help: "file holding an InfluxDB 2.x API token"),
        OptionSpec(
            name: "influx-mode", value: "all|changed",
            help:
                "all: every row of every snapshot, like the old receiver; changed: only rows whose count or name changed",
            defaultValue: "all"),
        OptionSpec(
            name: "influx-batch", value: "LINES", help: "points per InfluxDB write request", defaultValue: "20000"),
        OptionSpec(
            name: "influx-requests", value: "N", help: "InfluxDB write requests in flight at once (1-16)",
            defaultValue: "2"),
        OptionSpec(name: "influx-gzip", value: nil, help: "gzip InfluxDB write requests (for a slow link)"),
    ]

    /// The mirror's configuration, or nil without --influx-url; every wrong combination is an error.
    static func influx(_ options: Options) throws -> MirrorConfiguration? {
        let names =
            ["influx-db", "influx-rp", "influx-user", "influx-password-file", "influx-org", "influx-bucket"]
            + ["influx-token-file"]
        guard let url = options.string("influx-url") else {
            if let name = names.first(where: { options.string($0) != nil }) {
                throw UsageError("--\(name) needs --influx-url")
            }
            return nil
        }
        guard let parsed = URLComponents(string: url), parsed.scheme == "http" || parsed.scheme == "https",
            let host = parsed.host, !host.isEmpty, parsed.query == nil
        else {
            throw UsageError("--influx-url \(url) is not an http(s) address such as http://127.0.0.1:8086")
        }
        let v1 = ["influx-db", "influx-rp", "influx-user", "influx-password-file"].filter { options.string($0) != nil }
        let v2 = ["influx-org", "influx-bucket", "influx-token-file"].filter { options.string($0) != nil }
        let api: MirrorConfiguration.API
        switch (v1.isEmpty, v2.isEmpty) {
        case (false, false):
            throw UsageError(
                "--\(v1[0]) (InfluxDB 1.x) and --\(v2[0]) (InfluxDB 2.x) do not go together: choose one API")
        case (true, true):
            throw UsageError(
                "--influx-url needs --influx-db (InfluxDB 1.x) or --influx-org, --influx-bucket and --influx-token-file (2.x)"
            )
        case (false, true):
            guard let database = options.string("influx-db"), !database.isEmpty else {
                throw UsageError("--\(v1[0]) needs --influx-db")
            }
            let user = options.string("influx-user")
            let passwordFile = options.string("influx-password-file")
            guard (user == nil) == (passwordFile == nil) else {
                throw UsageError("--influx-user and --influx-password-file go together")
            }
            let password = try passwordFile.map { path throws(UsageError) in
                try readFile(path, what: "--influx-password-file").trimmingCharacters(in: .newlines)
            }
            api = .v1(database: database, retentionPolicy: options.string("influx-rp"), user: user, password: password)
        case (true, false):
            guard let organization = options.string("influx-org"), let bucket = options.string("influx-bucket"),
                let tokenFile = options.string("influx-token-file")
            else {
                let missing = ["influx-org", "influx-bucket", "influx-token-file"].filter { options.string($0) == nil }
                throw UsageError(
                    "InfluxDB 2.x needs --influx-org, --influx-bucket and --influx-token-file (missing: "
                        + missing.map { "--\($0)" }.joined(separator: ", ") + ")")
            }
            let token = try readFile(tokenFile, what: "--influx-token-file").trimmingCharacters(
                in: .whitespacesAndNewlines)
            guard !token.isEmpty else { throw UsageError("--influx-token-file \(tokenFile): the file is empty") }
            api = .v2(organization: organization, bucket: bucket, token: token)
        }
        var configuration = MirrorConfiguration(url: url, api: api)
        let mode = options.string("influx-mode")!
        guard let parsedMode = MirrorConfiguration.Mode(rawValue: mode) else {
            throw UsageError("--influx-mode must be all or changed, not \"\(mode)\"")
        }
        configuration.mode = parsedMode
        let batch = try options.integer("influx-batch")
        guard (1...1_000_000).contains(batch) else {
            throw UsageError("--influx-batch must be between 1 and 1000000 lines, not \(batch)")
        }
        configuration.batchLines = batch
        let requests = try options.integer("influx-requests")
        guard (1...16).contains(requests) else {
            throw UsageError("--influx-requests must be between 1 and 16, not \(requests)")
        }
        configuration.requestsInFlight = requests
        configuration.gzip = options.flag("influx-gzip")
        return configuration
    }
}
