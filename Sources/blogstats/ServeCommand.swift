import BlogStatsCore
import BlogStatsHTTP
import BlogStatsServer
import CMalloc
import Dispatch
import Foundation

/// `blogstats serve`: the receiver.
enum ServeCommand {
    static let specs: [OptionSpec] =
        [
            OptionSpec(
                name: "listen", value: "ADDR:PORT", help: "address and port to listen on; [::1]:8080 for IPv6",
                defaultValue: "127.0.0.1:8080"),
            OptionSpec(
                name: "data", value: "FILE", help: "the store (one SQLite file; created if missing)",
                defaultValue: "./blogstats.db"),
            OptionSpec(
                name: "push-token-file", value: "FILE[:BLOG]",
                help:
                    "file holding a push token (Authorization: Bearer …); with :BLOG the token may push to that blog only",
                repeatable: true),
            OptionSpec(
                name: "allow", value: "CIDR",
                help: "addresses allowed to push without a token, e.g. 203.0.113.7/32 or 2001:db8::/32",
                repeatable: true),
            OptionSpec(
                name: "read-token-file", value: "FILE",
                help:
                    "file holding a read token for the JSON API (Authorization: Bearer …); not needed when listening on loopback",
                repeatable: true),
            OptionSpec(
                name: "read-password-file", value: "FILE",
                help: "file holding the dashboard password: a sign-in form at /login opens a session cookie"),
            OptionSpec(
                name: "blog-url", value: "BLOG=URL",
                help: "the blog's public address, e.g. default=https://blog.example.org (posts link to URL/slug)",
                repeatable: true),
            OptionSpec(
                name: "timezone", value: "ZONE",
                help: "time zone of day and week buckets (IANA name, e.g. Europe/Paris)",
                defaultValue: "UTC"),
            OptionSpec(
                name: "trust-proxy", value: "CIDR", help: "reverse proxy whose X-Forwarded-For names the client",
                repeatable: true),
            OptionSpec(name: "tls-cert", value: "FILE", help: "PEM certificate chain: serve HTTPS (needs --tls-key)"),
            OptionSpec(name: "tls-key", value: "FILE", help: "PEM private key for --tls-cert"),
            OptionSpec(
                name: "max-body", value: "SIZE", help: "largest request body, also after gzip inflation",
                defaultValue: "16M"),
            OptionSpec(
                name: "keep-minutes", value: "DURATION", help: "keep minute samples this long, then one per hour",
                defaultValue: "90d"),
            OptionSpec(
                name: "keep-hours", value: "DURATION", help: "keep hourly samples this long, then one per day",
                defaultValue: "3y"),
            OptionSpec(
                name: "retention-interval", value: "DURATION",
                help: "how often old data is thinned and closed days are sealed (first run after 30 s at most)",
                defaultValue: "10m"),
            OptionSpec(
                name: "max-age", value: "DURATION",
                help: "oldest capture time a push may carry (X-Blogstats-Captured-At); never more than --keep-minutes",
                defaultValue: "90d"),
            OptionSpec(
                name: "max-skew", value: "DURATION", help: "how far in the future a capture time may be (clock skew)",
                defaultValue: "5m"),
            OptionSpec(name: "threads", value: "N", help: "worker threads", defaultValue: "4"),
            OptionSpec(
                name: "connection-timeout", value: "DURATION", help: "idle connections are closed after this",
                defaultValue: "30s"),
            OptionSpec(
                name: "per-ip-limit", value: "N", help: "concurrent connections from one address", defaultValue: "32"),
            OptionSpec(
                name: "busy-timeout", value: "DURATION", help: "how long a write waits for a lock before answering 503",
                defaultValue: "2s"),
        ] + influxSpecs

    static let help = Options.help(
        usage: "blogstats serve [options]",
        summary: """
            Receives snapshots of post view counters (POST /stats, text/csv, as
            `sqlite3 … ".mode csv" ".header on" "select id, slug, view_count, title from posts"`
            writes them) and keeps them as time series in one SQLite file.
            With no --push-token-file and no --allow, only loopback may push.
            Stops cleanly on SIGTERM or SIGINT: requests in flight finish, the store is closed.
            With --influx-url every stored snapshot is also written to InfluxDB (1.x with
            --influx-db, 2.x with --influx-org, --influx-bucket and --influx-token-file) in the
            old stack's schema, through an outbox in the store: an outage loses nothing.
            """,
        specs: specs,
        footer: "exit codes: 0 stopped cleanly, 1 could not start (store or address), 2 bad usage")

    static func run(_ arguments: [String]) throws -> Int32 {
        let options = try Options(arguments, specs: specs, environment: ProcessInfo.processInfo.environment)
        let configuration = try configure(options)
        let receiver = try Receiver(configuration: configuration)
        let scheme = configuration.http.tls == nil ? "http" : "https"
        let host = configuration.http.host.contains(":") ? "[\(configuration.http.host)]" : configuration.http.host
        configuration.log(
            "blogstats \(Version.text) listening on \(scheme)://\(host):\(receiver.port)/ store \(configuration.dataPath)"
        )
        waitForTermination()
        configuration.log("stopping: finishing requests in flight")
        receiver.stop()
        configuration.log("stopped")
        return 0
    }

    static func configure(_ options: Options) throws -> ReceiverConfiguration {
        var configuration = ReceiverConfiguration()
        configuration.log = { line in Log.line(line) }
        // A 100,000-row snapshot leaves tens of MB of freed small blocks in the allocator's
        // arenas; giving them back keeps the receiver's memory near its idle size.
        configuration.afterLargeIngest = { _ in cmalloc_trim() }
        let (host, port) = try parseListen(options.string("listen")!)
        configuration.http.host = host
        configuration.http.port = port
        configuration.dataPath = options.string("data")!
        configuration.http.maxBodyBytes = try options.bytes("max-body")
        configuration.http.threads = max(1, try options.integer("threads"))
        configuration.http.perIPConnectionLimit = max(1, try options.integer("per-ip-limit"))
        configuration.http.connectionTimeoutSeconds = Int(
            try options.seconds("connection-timeout", parse: Timestamp.parseDuration))
        configuration.keepMinutesSeconds = try options.seconds("keep-minutes", parse: Timestamp.parseDuration)
        configuration.keepHoursSeconds = try options.seconds("keep-hours", parse: Timestamp.parseDuration)
        let interval = try options.seconds("retention-interval", parse: Timestamp.parseDuration)
        guard interval > 0 else { throw UsageError("--retention-interval must be longer than 0s") }
        configuration.retentionInterval = Double(interval)
        guard configuration.keepHoursSeconds >= configuration.keepMinutesSeconds else {
            throw UsageError("--keep-hours must be at least --keep-minutes")
        }
        // A replay must not land in data already thinned.
        configuration.maxAgeSeconds = min(
            try options.seconds("max-age", parse: Timestamp.parseDuration), configuration.keepMinutesSeconds)
        configuration.maxClockSkewSeconds = try options.seconds("max-skew", parse: Timestamp.parseDuration)
        configuration.busyTimeoutMilliseconds =
            Int(try options.seconds("busy-timeout", parse: Timestamp.parseDuration)) * 1000
        configuration.timeZone = options.string("timezone")!
        for path in options.list("read-token-file") {
            configuration.readTokens.append(Array(try readSecret(path, what: "--read-token-file").utf8))
        }
        if let path = options.string("read-password-file") {
            configuration.readPassword = Array(try readPassword(path).utf8)
        }
        for entry in options.list("blog-url") {
            let (blog, url) = try parseBlogURL(entry)
            configuration.blogURLs[blog] = url
        }
        for entry in options.list("push-token-file") {
            configuration.pushTokens.append(try readToken(entry))
        }
        configuration.allow = try options.list("allow").map { text throws(UsageError) in
            guard let cidr = CIDR(text) else { throw UsageError("--allow \(text) is not an address or CIDR range") }
            return cidr
        }
        configuration.trustProxy = try options.list("trust-proxy").map { text throws(UsageError) in
            guard let cidr = CIDR(text) else {
                throw UsageError("--trust-proxy \(text) is not an address or CIDR range")
            }
            return cidr
        }
        configuration.influx = try influx(options)
        switch (options.string("tls-cert"), options.string("tls-key")) {
        case (nil, nil): break
        case (let cert?, let key?):
            configuration.http.tls = TLSConfiguration(
                certificatePEM: try readFile(cert, what: "--tls-cert"), keyPEM: try readFile(key, what: "--tls-key"))
        default: throw UsageError("--tls-cert and --tls-key go together")
        }
        return configuration
    }

    /// `127.0.0.1:8080`, `[::1]:8080`, `0.0.0.0:8080`.
    static func parseListen(_ text: String) throws(UsageError) -> (String, UInt16) {
        guard let colon = text.lastIndex(of: ":"), let port = UInt16(text[text.index(after: colon)...]) else {
            throw UsageError("--listen \(text): expected ADDR:PORT, e.g. 127.0.0.1:8080 or [::1]:8080")
        }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard IPAddress(host) != nil else {
            throw UsageError("--listen \(text): \(host) is not an IP address (use 127.0.0.1, 0.0.0.0, ::1 or ::)")
        }
        return (host, port)
    }

    /// `FILE` or `FILE:BLOG`; the file holds the token (surrounding whitespace ignored).
    static func readToken(_ entry: String) throws -> PushToken {
        var path = entry
        var blog: String? = nil
        if let colon = entry.lastIndex(of: ":"), !FileManager.default.fileExists(atPath: entry) {
            path = String(entry[..<colon])
            blog = String(entry[entry.index(after: colon)...])
            try BlogName.validate(blog!, field: "blog")
        }
        return PushToken(secret: try readSecret(path, what: "--push-token-file"), blog: blog, source: path)
    }

    /// The dashboard password from a file: surrounding whitespace ignored, at least 8 characters.
    static func readPassword(_ path: String) throws(UsageError) -> String {
        let password = try readFile(path, what: "--read-password-file").trimmingCharacters(in: .whitespacesAndNewlines)
        guard password.utf8.count >= 8 else {
            throw UsageError("--read-password-file \(path): the password must be at least 8 characters")
        }
        return password
    }

    /// `BLOG=https://…`: an http(s) address for a valid blog name.
    static func parseBlogURL(_ entry: String) throws -> (String, String) {
        guard let equals = entry.firstIndex(of: "=") else {
            throw UsageError("--blog-url \(entry): expected BLOG=URL, e.g. default=https://blog.example.org")
        }
        let blog = String(entry[..<equals])
        let url = String(entry[entry.index(after: equals)...])
        try BlogName.validate(blog, field: "blog")
        guard let parsed = URL(string: url), parsed.scheme == "https" || parsed.scheme == "http", parsed.host != nil,
            !url.contains(where: { $0.isWhitespace || $0 == "\"" || $0 == "<" || $0 == ">" })
        else {
            throw UsageError("--blog-url \(entry): \(url) is not an http(s) address")
        }
        return (blog, url)
    }

    /// A token from a file: surrounding whitespace ignored, at least 16 characters.
    static func readSecret(_ path: String, what: String) throws(UsageError) -> String {
        let token = try readFile(path, what: what).trimmingCharacters(in: .whitespacesAndNewlines)
        guard token.utf8.count >= 16 else {
            throw UsageError("\(what) \(path): the token must be at least 16 characters (try: openssl rand -hex 32)")
        }
        return token
    }

    static func readFile(_ path: String, what: String) throws(UsageError) -> String {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
        else {
            throw UsageError("\(what) \(path): cannot read the file")
        }
        return text
    }

    /// Blocks until SIGTERM or SIGINT.
    static func waitForTermination() {
        let done = DispatchSemaphore(value: 0)
        var sources: [any DispatchSourceSignal] = []
        for signalNumber in [SIGTERM, SIGINT] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { done.signal() }
            source.resume()
            sources.append(source)
        }
        done.wait()
        sources.forEach { $0.cancel() }
    }
}
