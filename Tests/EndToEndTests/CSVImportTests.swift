import Foundation
import Testing

/// `blogstats import csv` with the real binary: what `blogstats export` writes comes back as
/// the same store; a malformed file changes nothing and says where it is wrong.
@Suite struct CSVImportTests {
    static func importCSV(_ file: String, store: String, input: Data? = nil, _ extra: [String] = []) async throws
        -> CommandResult
    {
        try await Shell.run(BlogstatsBinary.path, ["import", "csv", file, "--data", store] + extra, input: input)
    }

    static func export(_ store: String) async throws -> Data {
        let result = try await Shell.run(BlogstatsBinary.path, ["export", "--data", store])
        guard result.status == 0 else { throw TestFailure("export failed: \(result.summary)") }
        return result.stdout
    }

    @Test func anExportedHistoryImportsIntoTheSameStore() async throws {
        let directory = try TemporaryDirectory()
        let receiver = try await ReceiverProcess(in: directory)
        try await ExportTests.pushHistory(to: receiver, base: ReadHistory.base())
        try await receiver.terminate()
        let exported = try await Self.export(receiver.storePath)
        let file = try directory.write("history.csv", exported)

        let fresh = directory.path("fresh.db")
        let first = try await Self.importCSV(file, store: fresh)
        #expect(first.status == 0, "\(first.summary)")
        #expect(first.errorOutput.contains("8 snapshots added, 0 already stored, 0 conflicts, 0 skipped"))
        #expect(try await Self.export(fresh) == exported)
        let samples = try await StoreFile(path: fresh).json(StoreFile.samplesByID)
        #expect(samples == (try await receiver.store.json(StoreFile.samplesByID)))
        let names = try await StoreFile(path: fresh).json(StoreFile.namesByID)
        #expect(names == (try await receiver.store.json(StoreFile.namesByID)))

        // Again, from standard input: every snapshot is already there.
        let dump = try await StoreFile(path: fresh).dump()
        let again = try await Self.importCSV("-", store: fresh, input: exported)
        #expect(again.status == 0, "\(again.summary)")
        #expect(again.errorOutput.contains("0 snapshots added, 8 already stored"), "\(again.summary)")
        #expect(try await StoreFile(path: fresh).dump() == dump)
    }

    @Test func aMalformedFileChangesNothingAndSaysWhere() async throws {
        let directory = try TemporaryDirectory()
        let store = directory.path("store.db")
        let cases: [(String, String)] = [
            ("time,id,slug,view_count,title\n100,a,s,1,t\n200,a,s,2,\"open\n", "line 3, column 5"),
            ("time,id,slug,view_count,title\n100,a,s,1,t\nnoon,a,s,2,t\n", "line 3, column 1"),
            ("time,id,slug,view_count,title\n200,a,s,1,t\n100,a,s,2,t\n", "sort the file by time (line 3, column 1)"),
            ("id,slug,view_count,title\na,s,1,t\n", "the header has no \"time\" column"),
        ]
        for (text, location) in cases {
            let file = try directory.write("bad.csv", text)
            let result = try await Self.importCSV(file, store: store)
            #expect(result.status == 1, "\(result.summary)")
            #expect(result.errorOutput.contains(location), "\(result.summary)")
            #expect(result.errorOutput.contains("nothing was imported"), "\(result.summary)")
            #expect(!FileManager.default.fileExists(atPath: store))
        }
    }

    @Test func rowsWithoutIdOrCountAreSkippedWithTheirLine() async throws {
        let directory = try TemporaryDirectory()
        let store = directory.path("store.db")
        let file = try directory.write(
            "skips.csv",
            "time,blog,id,slug,view_count,title\n2026-01-01T00:00:00Z,one,a,s,1,t\n2026-01-01T00:00:00Z,one,,s,2,t\n"
                + "2026-01-01T00:00:00Z,two,b,s,many,t\n2026-01-01T00:01:00Z,two,b,s,3,t\n")
        let result = try await Self.importCSV(file, store: store)
        #expect(result.status == 0, "\(result.summary)")
        #expect(result.errorOutput.contains("id is empty (line 3, column 3)"), "\(result.summary)")
        #expect(result.errorOutput.contains("2 snapshots added"), "\(result.summary)")
        #expect(result.errorOutput.contains("2 skipped (1 without id, 1 bad value)"), "\(result.summary)")
        let snapshots = try await StoreFile(path: store).json(
            "SELECT b.name, s.t, s.rows FROM snapshots s JOIN blogs b USING (blog_key) ORDER BY 1, 2")
        #expect(snapshots == #"[{"name":"one","rows":1,"t":1767225600},{"name":"two","rows":1,"t":1767225660}]"#)
    }

    @Test func helpNamesEveryOptionAndBadUsageExitsWith2() async throws {
        let help = try await Shell.run(BlogstatsBinary.path, ["import", "influx", "--help"], timeout: 10)
        #expect(help.status == 0)
        for option in [
            "--url", "--db", "--measurement", "--rp", "--user", "--password-file", "--from", "--to", "--page-size",
            "--data", "--blog", "--verbose", "blogstats import csv FILE",
        ] {
            #expect(help.output.contains(option), "\(option) missing from:\n\(help.output)")
        }
        let usage = try await Shell.run(BlogstatsBinary.path, ["--help"], timeout: 10)
        #expect(usage.output.contains("import    old history"))
        for arguments in [["import"], ["import", "csv"], ["import", "mysql"], ["import", "influx", "--db", "blog"]] {
            let result = try await Shell.run(BlogstatsBinary.path, arguments, timeout: 10)
            #expect(result.status == 2, "\(result.summary)")
            #expect(result.errorOutput.contains("see blogstats import --help"), "\(result.summary)")
        }
    }
}
