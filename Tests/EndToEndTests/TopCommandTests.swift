import Foundation
import Testing

/// `blogstats top` reads a running receiver over HTTP (`--server`) as it reads the store file.
@Suite struct TopCommandTests {
    @Test func theServerAndTheStoreFileGiveTheSameTable() async throws {
        let directory = try TemporaryDirectory()
        let receiver = try await ReceiverProcess(in: directory)
        _ = try await ReadHistory.push(to: receiver, base: ReadHistory.base())
        let arguments = ["top", "--blog", "default", "--range", "24h"]
        // The first line names the moment of the run; the rest must agree.
        func table(_ result: CommandResult) -> String {
            result.output.split(separator: "\n").dropFirst().joined(separator: "\n")
        }
        let remote = try await Shell.run(BlogstatsBinary.path, arguments + ["--server", receiver.url], timeout: 30)
        #expect(remote.status == 0 && remote.errorOutput.isEmpty, "\(remote.summary)")
        let local = try await Shell.run(BlogstatsBinary.path, arguments + ["--data", receiver.storePath], timeout: 30)
        #expect(local.status == 0, "\(local.summary)")
        #expect(table(remote) == table(local), "\(remote.output)\n---\n\(local.output)")
        #expect(table(remote).contains("views"), "\(remote.output)")

        let down = try await Shell.run(
            BlogstatsBinary.path, arguments + ["--server", "http://127.0.0.1:9"], timeout: 30)
        #expect(down.status == 1, "\(down.summary)")
        #expect(down.errorOutput.contains("127.0.0.1:9"), "\(down.summary)")
    }
}
