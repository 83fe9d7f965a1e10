import Foundation
import Glibc

/// A directory of snapshots that could not be delivered yet, one gzip file per snapshot named
/// by capture time and blog, replayed oldest first; `rejected/` keeps what the receiver
/// refused, each with a note of why.
///
/// Files are written atomically (`AtomicFile`): a spool file is always a whole snapshot.
public struct Spool: Sendable {
    public let directory: String

    public init(directory: String) {
        self.directory = directory
    }

    public var rejectedDirectory: String { directory + "/rejected" }
    public var lockPath: String { directory + "/.lock" }

    public func path(_ entry: SpoolEntry) -> String { "\(directory)/\(entry.fileName)" }
    public func rejectedPath(_ entry: SpoolEntry) -> String { "\(rejectedDirectory)/\(entry.fileName)" }

    /// `rejected/20261203T162000Z.notes.error.txt`: why the receiver refused the snapshot.
    public func notePath(_ entry: SpoolEntry) -> String {
        "\(rejectedDirectory)/\(entry.fileName.dropLast(SpoolEntry.suffix.count)).error.txt"
    }

    /// Creates the spool and `rejected/` (mode 0700: snapshots hold draft titles).
    public func create() throws(CollectorError) {
        for path in [directory, rejectedDirectory] {
            do {
                try FileManager.default.createDirectory(
                    atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw CollectorError("cannot create the spool directory \(path): \(error.localizedDescription)")
            }
        }
    }

    /// The spooled snapshots, oldest first (not `rejected/`, not temporary files).
    public func entries() throws(CollectorError) -> [SpoolEntry] {
        try names(directory).compactMap(SpoolEntry.init(fileName:)).sorted()
    }

    public func rejectedEntries() throws(CollectorError) -> [SpoolEntry] {
        try names(rejectedDirectory).compactMap(SpoolEntry.init(fileName:)).sorted()
    }

    private func names(_ path: String) throws(CollectorError) -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: path)
        } catch {
            throw CollectorError("cannot list the spool directory \(path): \(error.localizedDescription)")
        }
    }

    /// Keeps a snapshot for a later run. A snapshot with the same capture time and blog is replaced.
    @discardableResult
    public func write(_ snapshot: BlogSnapshot) throws(CollectorError) -> SpoolEntry {
        let entry = SpoolEntry(capturedAt: snapshot.capturedAt, blog: snapshot.blog)
        try AtomicFile.write(snapshot.gzip, directory: directory, name: entry.fileName)
        return entry
    }

    public func read(_ entry: SpoolEntry) throws(CollectorError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path(entry)) else {
            throw CollectorError("cannot read the spooled snapshot \(path(entry))")
        }
        return [UInt8](data)
    }

    /// Delivered: the file goes.
    public func remove(_ entry: SpoolEntry) throws(CollectorError) {
        try AtomicFile.remove(path(entry), directory: directory)
    }

    /// Refused: the spooled file moves to `rejected/` with the receiver's message beside it.
    public func reject(_ entry: SpoolEntry, note: String) throws(CollectorError) {
        try writeNote(entry, note)
        try AtomicFile.move(path(entry), to: rejectedPath(entry), directories: [directory, rejectedDirectory])
    }

    /// Refused on its first push: the snapshot is written straight to `rejected/`.
    public func reject(_ snapshot: BlogSnapshot, note: String) throws(CollectorError) {
        let entry = SpoolEntry(capturedAt: snapshot.capturedAt, blog: snapshot.blog)
        try writeNote(entry, note)
        try AtomicFile.write(snapshot.gzip, directory: rejectedDirectory, name: entry.fileName)
    }

    private func writeNote(_ entry: SpoolEntry, _ note: String) throws(CollectorError) {
        let name = String(notePath(entry).split(separator: "/").last!)
        try AtomicFile.write(Array((note + "\n").utf8), directory: rejectedDirectory, name: name)
    }

    /// Removes temporary files left by a writer that was killed mid-write.
    @discardableResult
    public func removeAbandonedTemporaryFiles() -> Int {
        var removed = 0
        for path in [directory, rejectedDirectory] {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            removed += AtomicFile.removeAbandoned(in: path, names: names)
        }
        return removed
    }
}
