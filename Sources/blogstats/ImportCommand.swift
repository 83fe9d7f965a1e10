import BlogStatsCore
import BlogStatsImport
import BlogStatsStore
import Dispatch
import Foundation

/// `blogstats import influx|csv`: old history into the store, with the original times.
enum ImportCommand {
    static let influxSpecs: [OptionSpec] = [
        OptionSpec(name: "url", value: "URL", help: "InfluxDB 1.x address, e.g. http://127.0.0.1:8086"),
        OptionSpec(name: "db", value: "DB", help: "the database the old receiver wrote to"),
        OptionSpec(name: "measurement", value: "NAME", help: "the measurement", defaultValue: "blog_stats"),
        OptionSpec(name: "rp", value: "RP", help: "retention policy (default: the database's default)"),
        OptionSpec(name: "user", value: "USER", help: "InfluxDB user (with --password-file)"),
        OptionSpec(name: "password-file", value: "FILE", help: "file holding the InfluxDB password"),
        OptionSpec(
            name: "from", value: "TIME", help: "oldest point to import: RFC 3339 or a duration before now (30d)"),
        OptionSpec(name: "to", value: "TIME", help: "import points before this time, same forms"),
        OptionSpec(
            name: "page-size", value: "POINTS", help: "points per /query request (bounds memory)",
            defaultValue: "50000"),
    ]

    static let commonSpecs: [OptionSpec] = [
        OptionSpec(
            name: "data", value: "FILE", help: "the store to import into (created if missing)",
            defaultValue: "./blogstats.db"),
        OptionSpec(
            name: "blog", value: "NAME", help: "the blog of points (rows) that carry no blog tag (column)",
            defaultValue: "default"),
        OptionSpec(name: "verbose", value: nil, help: "print each page read and examples of skipped points"),
    ]

    static let help = """
        usage: blogstats import influx --url URL --db DB [options]
               blogstats import csv FILE|- [options]

        Loads old history into the store as snapshots with their original times.

        influx reads what the old receiver wrote to InfluxDB 1.x (measurement blog_stats, tags
        id, slug, title and an optional blog, integer field value) through /query, one page of
        points at a time. Points less than a second apart form one snapshot, captured at the
        first one's second. csv reads time,id,slug,view_count,title[,blog] (a header is
        required; time in RFC 3339 or Unix seconds; rows of one time together and each blog's
        times increasing, as `blogstats export` writes them); the whole file is checked first.

        Both are idempotent (a snapshot already stored is counted, not stored again) and safe to
        interrupt: each snapshot is one transaction, and influx records its progress with it, so
        a re-run resumes after the last snapshot stored. Points without an id or whose value is
        not a view count are skipped and counted. The store must not be in use by a running
        `blogstats serve`: stop it for the import (the import refuses otherwise).

        influx options:
        \(optionLines(influxSpecs))
        options of both:
        \(optionLines(commonSpecs))  --help
              show this help

        exit codes: 0 imported (or already there), 1 failure or conflicting snapshots,
                    2 bad usage, 3 interrupted (run again to resume)

        """

    private static func optionLines(_ specs: [OptionSpec]) -> String {
        let text = Options.help(usage: "", summary: "", specs: specs)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        // Only the option entries of the generic help, without its usage lines and --help.
        let start = lines.firstIndex(of: "options:").map { $0 + 1 } ?? 0
        let end = lines.firstIndex(of: "  --help") ?? lines.count
        return lines[start..<end].joined(separator: "\n") + "\n"
    }

    static func run(_ arguments: [String]) throws -> Int32 {
        guard let kind = arguments.first else { throw UsageError("name what to import: influx or csv") }
        let environment = ProcessInfo.processInfo.environment
        switch kind {
        case "influx":
            let options = try Options(
                Array(arguments.dropFirst()), specs: influxSpecs + commonSpecs, environment: environment)
            return try runInflux(options)
        case "csv":
            guard arguments.count >= 2, !arguments[1].hasPrefix("--") || arguments[1] == "-" else {
                throw UsageError("name the file to import (or - for standard input): blogstats import csv FILE")
            }
            let options = try Options(Array(arguments.dropFirst(2)), specs: commonSpecs, environment: environment)
            return try runCSV(path: arguments[1], options)
        default:
            throw UsageError("unknown import \"\(kind)\": use influx or csv")
        }
    }

    static func runInflux(_ options: Options) throws -> Int32 {
        guard let url = options.string("url") else {
            throw UsageError("--url is required (e.g. http://127.0.0.1:8086)")
        }
        guard let parsed = URL(string: url), parsed.scheme == "http" || parsed.scheme == "https", parsed.host != nil
        else {
            throw UsageError("--url \(url) is not an http(s) address")
        }
        guard let db = options.string("db") else { throw UsageError("--db is required") }
        var source = InfluxSource(url: url, database: db)
        source.measurement = options.string("measurement")!
        source.retentionPolicy = options.string("rp")
        source.pageSize = try options.integer("page-size")
        guard source.pageSize >= 1 else { throw UsageError("--page-size must be at least 1") }
        if let user = options.string("user") {
            source.user = user
            source.password = try options.string("password-file").map {
                try ServeCommand.readFile($0, what: "--password-file").trimmingCharacters(in: .whitespacesAndNewlines)
            }
        } else if options.string("password-file") != nil {
            throw UsageError("--password-file needs --user")
        }
        let blog = try defaultBlog(options)
        let now = Int64(Date().timeIntervalSince1970)
        let from = try time(options, "from", now: now).map { $0 * 1_000_000_000 }
        let to = try time(options, "to", now: now).map { $0 * 1_000_000_000 }
        let importer = InfluxImport(source: source, defaultBlog: blog, from: from, to: to)
        // Also proves InfluxDB, the database and the credentials before the store is touched.
        guard let span = try importer.span() else {
            Log.line(
                "blogstats import: InfluxDB has no \(source.measurement) points in database \(db)"
                    + (from != nil || to != nil ? " in the range given" : "") + "; nothing to import")
            return 0
        }
        let destination = try ImportDestination(path: options.string("data")!)
        defer { destination.close() }
        let signals = stopOnSignal(importer.stopRequest)
        defer { signals.forEach { $0.cancel() } }

        let bar = ProgressBar(enabled: isatty(2) == 1 && !options.flag("verbose"))
        let report = try importer.run(into: destination) { reached, report in
            if options.flag("verbose") {
                Log.line("read through \(Timestamp.format(reached / 1_000_000_000)): \(report.summary)")
            }
            let share = span.last > span.first ? Double(reached - span.first) / Double(span.last - span.first) : 1
            bar.show(share, "\(report.points) points, \(report.added + report.duplicates) snapshots")
        }
        bar.clear()
        if let resumed = report.resumedAfter {
            Log.line(
                "blogstats import: resumed after \(Timestamp.format(resumed / 1_000_000_000)) (the last snapshot a previous run stored)"
            )
        }
        return finish(report, verbose: options.flag("verbose"))
    }

    static func runCSV(path: String, _ options: Options) throws -> Int32 {
        let blog = try defaultBlog(options)
        let importer = try CSVImport(path: path, defaultBlog: blog)
        do throws(SnapshotFormatError) {
            _ = try importer.check()
        } catch {
            Log.line("blogstats import csv: \(path == "-" ? "standard input" : path): \(error) — nothing was imported")
            return 1
        }
        let destination = try ImportDestination(path: options.string("data")!)
        defer { destination.close() }
        let signals = stopOnSignal(importer.stopRequest)
        defer { signals.forEach { $0.cancel() } }
        let bar = ProgressBar(enabled: isatty(2) == 1 && !options.flag("verbose"))
        let report = try importer.run(into: destination) { share, report in
            bar.show(share, "\(report.added + report.duplicates) snapshots")
        }
        bar.clear()
        return finish(report, verbose: options.flag("verbose"))
    }

    /// The summary line (always), conflicts and skips; the exit code.
    static func finish(_ report: ImportReport, verbose: Bool) -> Int32 {
        for (blog, time) in report.conflicts.prefix(verbose ? .max : 20) {
            Log.line(
                "blogstats import: conflict: blog \(blog) already has a different snapshot at \(Timestamp.format(time)); kept the stored one"
            )
        }
        if report.conflicts.count > 20 && !verbose {
            Log.line("blogstats import: … and \(report.conflicts.count - 20) more conflicts (--verbose lists them)")
        }
        if report.skips.total > 0 {
            for example in report.skipExamples.prefix(verbose ? 10 : 3) {
                Log.line("blogstats import: skipped: \(example)")
            }
        }
        let state = report.interrupted ? "interrupted (run again to resume)" : "done"
        Log.line("blogstats import: \(state): \(report.summary)")
        if report.interrupted { return 3 }
        return report.conflicts.isEmpty ? 0 : 1
    }

    static func defaultBlog(_ options: Options) throws -> String {
        let blog = options.string("blog")!
        do throws(SnapshotFormatError) {
            try BlogName.validate(blog, field: "blog")
        } catch {
            throw UsageError("--blog: \(error.message)")
        }
        return blog
    }

    /// RFC 3339, Unix seconds or a duration before now.
    static func time(_ options: Options, _ name: String, now: Int64) throws(UsageError) -> Int64? {
        guard let text = options.string(name) else { return nil }
        if let time = Timestamp.parse(text) { return time }
        if let duration = Timestamp.parseDuration(text), text.last?.isLetter == true { return now - duration }
        if let seconds = Int64(text), seconds >= 0 { return seconds }
        throw UsageError("--\(name) must be an RFC 3339 time, Unix seconds or a duration such as 30d, not \"\(text)\"")
    }

    /// SIGINT/SIGTERM ask the import to stop after the snapshot being stored; a second one ends it at once
    /// (still consistent: each snapshot is a transaction).
    static func stopOnSignal(_ request: StopRequest) -> [any DispatchSourceSignal] {
        var sources: [any DispatchSourceSignal] = []
        for signalNumber in [SIGTERM, SIGINT] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            let count = SignalCount()
            source.setEventHandler {
                if count.next() > 1 { _exit(128 + signalNumber) }
                request.stop()
            }
            source.resume()
            sources.append(source)
        }
        return sources
    }
}
