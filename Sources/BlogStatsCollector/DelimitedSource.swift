import BlogStatsCore
import Foundation

/// A snapshot in a file or on stdin: CSV in the wire format (what `sqlite3 ".mode csv"` prints),
/// or tab-separated with a header as `mysql --batch` prints it (MySQL-backed WriteFreely).
public struct DelimitedSource: Sendable {
    public enum Format: Sendable {
        case csv
        case mysqlBatch
    }

    /// A file, or `-` for stdin.
    public var path: String
    public var format: Format
    /// The blog of rows without a `blog` column; nil: the receiver's default.
    public var blog: String?
    public var gzipLevel: Int32 = 1

    public init(path: String, format: Format, blog: String? = nil) {
        self.path = path
        self.format = format
        self.blog = blog
    }

    var origin: String { path == "-" ? "stdin" : path }

    public func read(capturedAt: Int64) throws(CollectorError) -> SourceRead {
        let start = ContinuousClock.now
        let body = try readBytes()
        // An empty input is a failed producer (`sqlite3 … | blogstats push --csv -` whose sqlite3
        // failed), not a blog without posts: sent, it would mark every post removed.
        guard body.contains(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\n") && $0 != UInt8(ascii: "\r") })
        else {
            throw CollectorError("\(origin) is empty: nothing to send (a header row alone means a blog without posts)")
        }
        let rows: [SnapshotRow]
        do throws(SnapshotFormatError) {
            rows = format == .csv ? try SnapshotCSV.parse(body) : try MySQLBatch.parse(body)
            // The checks the receiver would make (duplicate ids, blog names), made here, where
            // the input can still be fixed.
            _ = try Snapshot.group(rows, defaultBlog: blog ?? "default", capturedAt: capturedAt, explicitTime: true)
        } catch {
            throw CollectorError("\(origin): \(error.description)")
        }
        var assembler = SnapshotAssembler(capturedAt: capturedAt, gzipLevel: gzipLevel)
        if rows.isEmpty { _ = assembler.part(for: blog) }
        for row in rows {
            let part = assembler.part(for: row.blog.isEmpty ? blog : row.blog)
            assembler.append(part: part, id: row.id, slug: row.slug, views: row.views, title: row.title)
            if assembler.parts[part].writer.bytes.count >= assembler.flushBytes { assembler.compressFullParts() }
        }
        return SourceRead(
            snapshots: assembler.finish(), posts: rows.count, elapsedMilliseconds: milliseconds(from: start),
            origin: origin)
    }

    private func readBytes() throws(CollectorError) -> [UInt8] {
        if path == "-" {
            return [UInt8](FileHandle.standardInput.readDataToEndOfFile())
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CollectorError("cannot read \(path): no such file, or not readable")
        }
        return [UInt8](data)
    }
}
