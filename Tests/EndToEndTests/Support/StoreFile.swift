import Foundation

/// The receiver's store read from outside with the real `sqlite3` CLI, as an operator would.
struct StoreFile {
    let path: String

    /// Rows of `sql` (one statement) as JSON objects; NULL stays `null`.
    func rows(_ sql: String) async throws -> [[String: Any]] {
        let result = try await Shell.run("sqlite3", ["-bail", "-json", path, sql], timeout: 30)
        guard result.status == 0 else { throw TestFailure("sqlite3 failed: \(result.summary)") }
        if result.output.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return [] }
        guard let rows = JSON.parse(result.stdout) as? [[String: Any]] else {
            throw TestFailure("sqlite3 -json gave no array: \(result.output.prefix(500))")
        }
        return rows
    }

    /// Rows of `sql` as canonical JSON, for exact comparison with an expected literal.
    func json(_ sql: String) async throws -> String {
        JSON.canonical(try await rows(sql))
    }

    /// One integer (`SELECT count(*) …`).
    func integer(_ sql: String) async throws -> Int {
        let rows = try await rows(sql)
        guard let value = rows.first?.values.first as? Int else {
            throw TestFailure("\(sql) gave no integer: \(JSON.canonical(rows))")
        }
        return value
    }

    /// `sqlite3 FILE .dump`: schema and every row as SQL text, to prove nothing changed.
    func dump() async throws -> String {
        let result = try await Shell.run("sqlite3", ["-bail", path, ".dump"], timeout: 30)
        guard result.status == 0 else { throw TestFailure("sqlite3 .dump failed: \(result.summary)") }
        return result.output
    }

    /// `PRAGMA integrity_check` as sqlite3 prints it ("ok" for a sound file).
    func integrityCheck() async throws -> String {
        let result = try await Shell.run("sqlite3", ["-bail", path, "PRAGMA integrity_check;"], timeout: 30)
        guard result.status == 0 else { throw TestFailure("sqlite3 integrity_check failed: \(result.summary)") }
        return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Per post (by id) the samples in time order: `[{"id":…,"t":…,"views":…}]`.
    static let samplesByID =
        "SELECT p.id, s.t, s.views FROM samples s JOIN posts p USING(post_key) ORDER BY 1, 2"
    /// Per post (by id) the names in time order.
    static let namesByID =
        "SELECT p.id, n.t, n.slug, n.title FROM names n JOIN posts p USING(post_key) ORDER BY 1, 2"
}
