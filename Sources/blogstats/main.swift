import BlogStatsServer
import CMalloc
import Foundation

/// The version printed by `blogstats version` and in the server's first log line.
enum Version {
    static let text = "0.1.0"
}

let usage = """
    usage: blogstats <command> [options]

    Keeps blog post view counters as time series.

    commands:
      serve     receive snapshots over HTTP and store them (blogstats serve --help)
      push      read the blog's view counters and send them to the receiver (blogstats push --help)
      top       the posts read most in a window, in the terminal (blogstats top --help)
      export    snapshots, samples or series as CSV or JSON Lines (blogstats export --help)
      import    old history from InfluxDB or a CSV file into the store (blogstats import --help)
      version   print the version

    exit codes: 0 success, 1 failure, 2 bad usage
    """

// Large buffers (request bodies, parsed snapshots) come from mmap and go back to the system
// when freed, and few arenas stop each worker thread from keeping its own high-water mark:
// the receiver's memory stays near what one request needs.
cmalloc_tune(256 * 1024, 2)

let arguments = Array(CommandLine.arguments.dropFirst())
let command = arguments.first ?? "--help"
let rest = Array(arguments.dropFirst())

/// The subcommands: their help text and what runs them.
let commands: [String: (help: String, run: ([String]) throws -> Int32)] = [
    "serve": (ServeCommand.help, ServeCommand.run),
    "push": (PushCommand.help, PushCommand.run),
    "top": (TopCommand.help, TopCommand.run),
    "export": (ExportCommand.help, ExportCommand.run),
    "import": (ImportCommand.help, ImportCommand.run),
]

do {
    switch command {
    case "version", "--version":
        print("blogstats \(Version.text)")
    case "help", "--help", "-h":
        print(usage)
    default:
        guard let subcommand = commands[command] else {
            Log.line("blogstats: unknown command \"\(command)\"\n\n\(usage)")
            exit(2)
        }
        if rest.contains("--help") || rest.contains("-h") {
            print(subcommand.help, terminator: "")
            exit(0)
        }
        let status = try subcommand.run(rest)
        // Every command has closed its store and flushed its work by now; skipping exit handlers
        // (libcurl's and OpenSSL's teardown among them) ends it without waiting on other threads.
        fflush(nil)  // all output streams
        _exit(status)
    }
} catch let error as UsageError {
    Log.line("blogstats \(command): \(error.description) (see blogstats \(command) --help)")
    exit(2)
} catch {
    Log.line("blogstats \(command): \(error)")
    exit(1)
}
