import BlogStatsCore
import BlogStatsHTTPClient
import BlogStatsStore
import Foundation

/// `blogstats export`: snapshots, samples or series as CSV or JSON Lines, from a store file
/// or a receiver, to a file or stdout, in constant memory.
enum ExportCommand {
    static let specs: [OptionSpec] = [
        OptionSpec(name: "data", value: "FILE", help: "read this store file directly", defaultValue: "./blogstats.db"),
        OptionSpec(
            name: "server", value: "URL", help: "export from a running receiver instead, e.g. https://stats.example.org"
        ),
        OptionSpec(name: "token-file", value: "FILE", help: "read token for --server (not needed on loopback)"),
        OptionSpec(name: "blog", value: "NAME", help: "only this blog (default: every blog)"),
        OptionSpec(name: "post", value: "ID", help: "only this post (series: its buckets instead of the blog totals)"),
        OptionSpec(
            name: "kind", value: "KIND",
            help: "snapshots (every snapshot as pushed), samples (stored changes) or series (buckets)",
            defaultValue: "snapshots"),
        OptionSpec(
            name: "from", value: "TIME",
            help: "start: RFC 3339 or a duration before now (7d); default: the beginning (series: 7d before --to)"),
        OptionSpec(name: "to", value: "TIME", help: "end (excluded), same forms; default: the end (series: now)"),
        OptionSpec(name: "step", value: "DURATION", help: "series bucket size (5m, 1h, 1d); default: from the window"),
        OptionSpec(
            name: "format", value: "FORMAT", help: "csv (RFC 4180, with a header) or json (JSON Lines)",
            defaultValue: "csv"),
        OptionSpec(name: "output", value: "FILE", help: "where to write; - for stdout", defaultValue: "-"),
        OptionSpec(
            name: "timezone", value: "ZONE", help: "time zone of day and week buckets with --data (IANA name)",
            defaultValue: "UTC"),
    ]

    static let help = Options.help(
        usage: "blogstats export [options]",
        summary: """
            Writes the stored history of one post, one blog or every blog, streaming in constant
            memory. kind=snapshots gives time,blog,id,slug,view_count,title: each snapshot's rows
            as they were pushed (push them again, grouped by time, to rebuild a store); samples
            gives time,blog,id,views,gained_total; series gives
            start,blog,id,cumulative,views,gap_seconds,reset. Prints nothing on success;
            a file given with --output appears only once the export is complete.
            """,
        specs: specs,
        footer: """
            exit codes: 0 written, 1 the store or server could not be read or the output not written,
                        2 bad usage (also parameters the server refuses), 3 no such blog or post
            """)

    /// Flags named after their query parameter where they differ.
    static let flagOfField = ["id": "post"]

    static func run(_ arguments: [String]) throws -> Int32 {
        let options = try Options(arguments, specs: specs, environment: ProcessInfo.processInfo.environment)
        var query: [String: String] = [:]
        for (flag, field) in [
            ("blog", "blog"), ("post", "id"), ("kind", "kind"), ("from", "from"), ("to", "to"), ("step", "step"),
            ("format", "format"),
        ] {
            if let value = options.string(flag) { query[field] = value }
        }
        let request: ExportRequest
        do throws(ExportError) {
            request = try ExportRequest(query: query, now: Int64(Date().timeIntervalSince1970))
        } catch {
            throw usage(error)
        }
        guard let zone = TimeZone(identifier: options.string("timezone")!) else {
            throw UsageError("--timezone \(options.string("timezone")!) is not a known time zone")
        }
        let source: Source
        if let server = options.string("server") {
            guard let url = URL(string: server), url.scheme == "http" || url.scheme == "https" else {
                throw UsageError("--server \(server) is not an http(s) URL")
            }
            let token = try options.string("token-file").map { try ServeCommand.readSecret($0, what: "--token-file") }
            source = .server(url, token)
        } else {
            let path = options.string("data")!
            guard FileManager.default.fileExists(atPath: path) else {
                throw UsageError("--data \(path): no such store (use --data FILE or --server URL)")
            }
            source = .store(path)
        }
        let destination = try Destination(options.string("output")!)
        do {
            switch source {
            case .store(let path):
                let utcOffset: (Int64) -> Int64 = {
                    Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double($0))))
                }
                let stream = try ExportStream(path: path, request: request, utcOffset: utcOffset)
                while let chunk = try stream.next() { try destination.write(chunk) }
            case .server(let url, let token):
                try download(request, from: url, token: token, to: destination)
            }
            try destination.commit()
            return 0
        } catch let error as ExportError {
            destination.discard()
            switch error.kind {
            case .invalidRequest: throw usage(error)
            case .notFound:
                Log.line("blogstats export: \(error.message)")
                return 3
            case .unavailable, .failed: throw error
            }
        } catch {
            destination.discard()
            throw error
        }
    }

    enum Source {
        case store(String)
        case server(URL, String?)
    }

    static func usage(_ error: ExportError) -> UsageError {
        let flag = error.field.map { "--" + (flagOfField[$0] ?? $0) + ": " } ?? ""
        return UsageError(flag + error.message)
    }

    /// GET /api/v1/export.csv, written to the destination piece by piece as it arrives.
    static func download(_ request: ExportRequest, from base: URL, token: String?, to destination: Destination) throws {
        var components = URLComponents(
            url: base.appendingPathComponent("api/v1/export.csv"), resolvingAgainstBaseURL: false)!
        components.queryItems = request.query.sorted { $0.key < $1.key }.map {
            URLQueryItem(name: $0.key, value: $0.value)
        }
        let url = components.url!.absoluteString
        var headers: [(name: String, value: String)] = []
        if let token { headers.append(("Authorization", "Bearer \(token)")) }
        // Silence and connection limited; a long export may take as long as it needs.
        let get = HTTPClientRequest(url: url, headers: headers, connectTimeout: 60, timeout: 0)
        let response: HTTPClientResponse
        do {
            response = try HTTPClient(userAgent: "blogstats/\(Version.text)").send(get) { try destination.write($0) }
        } catch let error as HTTPClientError {
            throw ExportError(.unavailable, "\(url): \(error.message)")
        }
        guard response.status == 200 else {
            let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
            let message = "\(url): " + (object?["error"] as? String ?? "HTTP \(response.status)")
            let field = object?["field"] as? String
            switch response.status {
            case 400: throw ExportError(.invalidRequest, message, field: field)
            case 404: throw ExportError(.notFound, message, field: field)
            default: throw ExportError(.failed, message)
            }
        }
    }

    /// Standard output, or a file that appears under its name only when complete (written
    /// beside it, then renamed).
    final class Destination {
        private let descriptor: Int32
        private let path: String?
        private let temporary: String?

        init(_ name: String) throws {
            guard name != "-" else {
                descriptor = 1
                path = nil
                temporary = nil
                return
            }
            let url = URL(fileURLWithPath: name)
            let temporary = url.deletingLastPathComponent().appendingPathComponent(
                ".\(url.lastPathComponent).\(getpid()).partial"
            ).path
            let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else {
                throw ExportError(.failed, "--output \(name): \(String(cString: strerror(errno)))")
            }
            self.descriptor = descriptor
            path = name
            self.temporary = temporary
        }

        func write(_ bytes: [UInt8]) throws {
            var offset = 0
            while offset < bytes.count {
                let written = bytes.withUnsafeBytes { raw in
                    Foundation.write(descriptor, raw.baseAddress! + offset, raw.count - offset)
                }
                if written < 0 {
                    if errno == EINTR { continue }
                    throw ExportError(.failed, "cannot write \(path ?? "stdout"): \(String(cString: strerror(errno)))")
                }
                offset += written
            }
        }

        func commit() throws {
            guard let path, let temporary else { return }
            guard fsync(descriptor) == 0, close(descriptor) == 0, rename(temporary, path) == 0 else {
                let reason = String(cString: strerror(errno))
                unlink(temporary)
                throw ExportError(.failed, "cannot write \(path): \(reason)")
            }
        }

        func discard() {
            guard let temporary else { return }
            close(descriptor)
            unlink(temporary)
        }
    }
}
