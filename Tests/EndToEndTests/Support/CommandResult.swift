import Foundation

/// What a finished command left behind: its exit status and everything it wrote.
struct CommandResult: Sendable {
    var command: String
    /// The exit code, or the signal number when `signalled`.
    var status: Int32
    var signalled: Bool
    var stdout: Data
    var stderr: Data

    var output: String { String(decoding: stdout, as: UTF8.self) }
    var errorOutput: String { String(decoding: stderr, as: UTF8.self) }

    /// For expectation messages: the command, its status and what it said.
    var summary: String {
        "\(command) → \(signalled ? "signal" : "exit") \(status)\nstdout: \(output.prefix(2000))\nstderr: \(errorOutput.prefix(2000))"
    }
}
