import BlogStatsCollector
import BlogStatsCore
import BlogStatsHTTPClient
import Dispatch
import Foundation
import Synchronization

/// `blogstats push`: the collector.
enum PushCommand {
    static let specs: [OptionSpec] = [
        OptionSpec(
            name: "writefreely", value: "DB",
            help: "WriteFreely's SQLite database (opened read-only; one snapshot per blog)"),
        OptionSpec(
            name: "csv", value: "FILE|-", help: "a snapshot in CSV (id,slug,view_count,title[,blog]), - for stdin"),
        OptionSpec(
            name: "tsv", value: "FILE|-", help: "tab-separated with a header, as mysql --batch prints it, - for stdin"),
        OptionSpec(name: "sqlite", value: "DB", help: "any SQLite database, read-only, with --query"),
        OptionSpec(
            name: "query", value: "SQL",
            help: "for --sqlite: returns id, slug, view_count, title (in order, or named; optional blog)"),
        OptionSpec(
            name: "to", value: "URL",
            help: "the receiver, e.g. https://stats.example.org/stats (a bare host gets /stats)"),
        OptionSpec(
            name: "token-file", value: "FILE", help: "file holding the push token (sent as Authorization: Bearer …)"),
        OptionSpec(
            name: "blog", value: "NAME",
            help:
                "--writefreely: only this blog (collection alias, or _unfiled); other sources: the blog of rows without a blog column",
            repeatable: true),
        OptionSpec(
            name: "skip-unfiled", value: nil,
            help: "--writefreely: leave out posts without a blog (drafts, anonymous posts)"),
        OptionSpec(
            name: "spool", value: "DIR",
            help:
                "where undelivered snapshots wait (default: $XDG_STATE_HOME/blogstats/spool or ~/.local/state/blogstats/spool; /var/lib/blogstats/spool as root)"
        ),
        OptionSpec(
            name: "spool-max", value: "N", help: "the most snapshots the spool keeps; when full, push fails (exit 4)",
            defaultValue: "10080"),
        OptionSpec(
            name: "every", value: "DURATION",
            help: "keep running: push every DURATION (e.g. 60s), aligned to the clock, until SIGTERM"),
        OptionSpec(
            name: "captured-at", value: "TIME", help: "capture time to send instead of now (RFC 3339; for backfills)"),
        OptionSpec(
            name: "connect-timeout", value: "DURATION",
            help: "give up when the receiver cannot be reached, or is silent, this long", defaultValue: "10s"),
        OptionSpec(
            name: "timeout", value: "DURATION", help: "give up when one push takes longer than this",
            defaultValue: "60s"),
        OptionSpec(
            name: "ca-file", value: "FILE",
            help: "trust the certificate authorities in this PEM file instead of the system's (a self-signed receiver)"),
        OptionSpec(
            name: "busy-timeout", value: "DURATION", help: "how long a read waits for the blog's write lock",
            defaultValue: "5s"),
        OptionSpec(
            name: "rows-per-read", value: "N",
            help:
                "--writefreely: posts per read transaction (0: the whole table in one, a consistent instant but a longer lock)",
            defaultValue: "2000"),
        OptionSpec(
            name: "dry-run", value: nil,
            help: "print the CSV that would be sent (stdout) and where (stderr); send and spool nothing"),
        OptionSpec(name: "verbose", value: nil, help: "print what was read, sent and spooled (stderr)"),
    ]

    static let exitCodes = """
        exit codes: 0 delivered (spooled snapshots included)
                    1 failed: the source could not be read, a snapshot could not be spooled, or libcurl is missing
                    2 bad usage
                    3 the receiver rejected a snapshot (kept in SPOOL/rejected/, message on stderr)
                    4 the spool is full: a snapshot was NOT kept
                    5 another push holds the spool's lock: this run sent nothing (its snapshot is spooled)
                    6 the receiver is unavailable: the snapshot is spooled and replayed by the next run
        """

    static let help = Options.help(
        usage:
            "blogstats push (--writefreely DB | --csv FILE|- | --tsv FILE|- | --sqlite DB --query SQL) --to URL [options]",
        summary: """
            Reads every post's view counter and pushes the snapshot to a blogstats receiver
            (gzip, with its capture time). When the receiver cannot take it, the snapshot waits
            in the spool and is replayed, oldest first and with its original capture time,
            before the next one. Silent on success: for cron, every minute. With --every it
            keeps running (systemd) and stops on SIGTERM or SIGINT.
            """,
        specs: specs,
        footer: exitCodes)

    static func run(_ arguments: [String]) throws -> Int32 {
        let environment = ProcessInfo.processInfo.environment
        let options = try Options(arguments, specs: specs, environment: environment)
        let verbose = options.flag("verbose")
        let log: @Sendable (String) -> Void
        if verbose { log = { Log.line($0) } } else { log = { _ in } }
        let source = try configureSource(options)
        if options.flag("dry-run") {
            return try dryRun(source, options: options, log: log)
        }
        guard let to = options.string("to") else {
            throw UsageError("--to URL is required (the receiver, e.g. http://127.0.0.1:8080/stats)")
        }
        guard let endpoint = Pusher.endpoint(to) else {
            throw UsageError("--to \(to) is not an http:// or https:// URL with a host")
        }
        var pushing = Pusher.Configuration(endpoint: endpoint)
        if let tokenFile = options.string("token-file") {
            let token = try ServeCommand.readFile(tokenFile, what: "--token-file").trimmingCharacters(
                in: .whitespacesAndNewlines)
            guard !token.isEmpty else { throw UsageError("--token-file \(tokenFile) is empty") }
            pushing.token = token
        }
        pushing.connectTimeout = Double(try positiveSeconds(options, "connect-timeout"))
        pushing.timeout = Double(try positiveSeconds(options, "timeout"))
        pushing.userAgent = "blogstats-push/\(Version.text)"
        if let file = options.string("ca-file") {
            guard FileManager.default.isReadableFile(atPath: file) else {
                throw UsageError("--ca-file \(file): no such readable file")
            }
            pushing.certificateAuthorities = file
        }
        // Without libcurl every snapshot would only pile up in the spool: a run stops before it
        // sends or spools anything. One run loads libcurl (6-8 ms) on another thread while it
        // reads the source and waits for it before delivering; --every loads it before starting.
        let loadLibcurl: @Sendable () -> Bool = {
            do throws(HTTPClientError) {
                try HTTPClient.loadLibrary()  // loads once; a second caller waits for the first
                return true
            } catch {
                Log.line("blogstats push \(error.message)")
                return false
            }
        }
        if options.string("every") != nil {
            guard loadLibcurl() else { return 1 }
        } else {
            DispatchQueue.global().async { _ = try? HTTPClient.loadLibrary() }
        }
        var configuration = Collector.Configuration(
            source: source, spool: Spool(directory: options.string("spool") ?? defaultSpool(environment)))
        configuration.spoolLimit = max(1, try options.integer("spool-max"))
        configuration.log = log
        configuration.readyToDeliver = loadLibcurl
        let collector = Collector(configuration: configuration, pusher: Pusher(configuration: pushing))

        if options.string("every") != nil {
            guard options.string("captured-at") == nil else {
                throw UsageError("--captured-at and --every do not go together")
            }
            if case .delimited(let input) = source, input.path == "-" {
                throw UsageError("--every cannot read stdin again and again: give a file")
            }
            return runEvery(collector, seconds: try positiveSeconds(options, "every"), verbose: verbose)
        }
        let report = collector.run(capturedAt: try captureTime(options))
        report.problems.forEach { Log.line("blogstats push: " + $0) }
        return exitCode(report.status)
    }

    static func exitCode(_ status: RunReport.Status) -> Int32 {
        switch status {
        case .delivered: 0
        case .failed: 1
        case .rejected: 3
        case .spoolFull: 4
        case .locked: 5
        case .spooled: 6
        }
    }

    static func configureSource(_ options: Options) throws -> SnapshotSource {
        let given = ["writefreely", "csv", "tsv", "sqlite"].filter { options.string($0) != nil }
        guard given.count == 1 else {
            throw UsageError(
                given.isEmpty
                    ? "say where the counters come from: --writefreely DB, --csv FILE, --tsv FILE or --sqlite DB --query SQL"
                    : "give one source, not " + given.map { "--\($0)" }.joined(separator: " and "))
        }
        let blogs = options.list("blog")
        for blog in blogs {
            do throws(SnapshotFormatError) {
                try BlogName.validate(blog, field: "blog")
            } catch {
                throw UsageError("--blog: \(error.message)")
            }
        }
        let busy = Int(try positiveSeconds(options, "busy-timeout")) * 1000
        if given[0] != "sqlite", options.string("query") != nil { throw UsageError("--query goes with --sqlite") }
        if given[0] != "writefreely", options.flag("skip-unfiled") {
            throw UsageError("--skip-unfiled goes with --writefreely")
        }
        if given[0] != "writefreely", blogs.count > 1 { throw UsageError("--blog names one blog for --\(given[0])") }
        switch given[0] {
        case "writefreely":
            var source = WriteFreelySource(path: options.string("writefreely")!)
            source.blogs = blogs
            source.includeUnfiled = !options.flag("skip-unfiled")
            source.busyTimeoutMilliseconds = busy
            source.rowsPerTransaction = try options.integer("rows-per-read")
            return .writeFreely(source)
        case "sqlite":
            guard let query = options.string("query") else { throw UsageError("--sqlite needs --query SQL") }
            var source = SQLQuerySource(path: options.string("sqlite")!, query: query, blog: blogs.first)
            source.busyTimeoutMilliseconds = busy
            return .query(source)
        default:
            return .delimited(
                DelimitedSource(
                    path: options.string(given[0])!, format: given[0] == "csv" ? .csv : .mysqlBatch, blog: blogs.first))
        }
    }

    static func positiveSeconds(_ options: Options, _ name: String) throws(UsageError) -> Int64 {
        let seconds = try options.seconds(name, parse: Timestamp.parseDuration)
        guard seconds > 0 else { throw UsageError("--\(name) must be at least 1s") }
        return seconds
    }

    static func captureTime(_ options: Options) throws(UsageError) -> Int64 {
        guard let text = options.string("captured-at") else { return WallClock.seconds() }
        guard let time = Timestamp.parse(text) else {
            throw UsageError("--captured-at \(text) is not an RFC 3339 time such as 2026-12-03T16:20:00Z")
        }
        return time
    }

    /// `/var/lib/blogstats/spool` for root (a system service), else the XDG state directory.
    static func defaultSpool(_ environment: [String: String]) -> String {
        if geteuid() == 0 { return "/var/lib/blogstats/spool" }
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") { return state + "/blogstats/spool" }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + "/.local/state/blogstats/spool"
    }

    /// Prints each snapshot's CSV on stdout, and on stderr where it would go.
    static func dryRun(_ source: SnapshotSource, options: Options, log: (String) -> Void) throws(UsageError) -> Int32 {
        let capturedAt = try captureTime(options)
        let read: SourceRead
        do throws(CollectorError) {
            read = try source.read(capturedAt: capturedAt)
        } catch {
            Log.line("blogstats push: \(error.message)")
            return 1
        }
        log(read.summary)
        let target = options.string("to").flatMap(Pusher.endpoint) ?? "the receiver"
        for snapshot in read.snapshots {
            let query = snapshot.blog.map { "?blog=\($0)" } ?? ""
            Log.line(
                "would POST \(snapshot.rows) rows to \(target)\(query) captured at \(Timestamp.format(snapshot.capturedAt)) (\(snapshot.gzip.count) bytes gzip of \(snapshot.csvBytes) bytes CSV)"
            )
            guard let csv = try? Gzip.inflate(snapshot.gzip, limit: Int.max) else { return 1 }
            FileHandle.standardOutput.write(Data(csv))
        }
        return 0
    }

    /// `--every`: one run per period, aligned to the wall clock (every minute at :00), until
    /// SIGTERM or SIGINT. A push in flight is cancelled on stop and its snapshot spooled.
    static func runEvery(_ collector: Collector, seconds: Int64, verbose: Bool) -> Int32 {
        let wake = DispatchSemaphore(value: 0)
        let stopping = Stop()
        var sources: [any DispatchSourceSignal] = []
        for signalNumber in [SIGTERM, SIGINT] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                stopping.flag.withLock { $0 = true }
                collector.pusher.cancelAll()
                wake.signal()
            }
            source.resume()
            sources.append(source)
        }
        defer { sources.forEach { $0.cancel() } }
        Log.line(
            "blogstats \(Version.text) push every \(seconds)s to \(collector.pusher.configuration.endpoint), spool \(collector.configuration.spool.directory)"
        )
        var lastStatus = RunReport.Status.delivered
        var repeats = 0
        while !stopping.isSet {
            let report = collector.run(capturedAt: WallClock.seconds())
            // Through a long outage, say so at the start and then every tenth run, not every minute.
            repeats = report.status == lastStatus ? repeats + 1 : 0
            if report.status != .delivered && (verbose || repeats % 10 == 0) {
                report.problems.forEach { Log.line("blogstats push: " + $0) }
            }
            if report.status == .delivered && lastStatus != .delivered && report.replayed > 0 {
                Log.line("receiver back: replayed \(report.replayed) spooled snapshot(s)")
            }
            lastStatus = report.status
            if stopping.isSet { break }
            let next = (WallClock.seconds() / seconds + 1) * seconds
            _ = wake.wait(wallTimeout: DispatchWallTime(timespec: timespec(tv_sec: Int(next), tv_nsec: 0)))
        }
        Log.line("stopped")
        return 0
    }
}

/// Set from a signal handler, read by the loop.
private final class Stop: Sendable {
    let flag = Mutex(false)
    var isSet: Bool { flag.withLock { $0 } }
}
