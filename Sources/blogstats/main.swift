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

do {
    switch command {
    case "serve":
        if rest.contains("--help") || rest.contains("-h") {
            print(ServeCommand.help, terminator: "")
            exit(0)
        }
        exit(try ServeCommand.run(rest))
    case "push":
        if rest.contains("--help") || rest.contains("-h") {
            print(PushCommand.help, terminator: "")
            exit(0)
        }
        exit(try PushCommand.run(rest))
    case "top":
        if rest.contains("--help") || rest.contains("-h") {
            print(TopCommand.help, terminator: "")
            exit(0)
        }
        exit(try TopCommand.run(rest))
    case "export":
        if rest.contains("--help") || rest.contains("-h") {
            print(ExportCommand.help, terminator: "")
            exit(0)
        }
        exit(try ExportCommand.run(rest))
    case "version", "--version":
        print("blogstats \(Version.text)")
    case "help", "--help", "-h":
        print(usage)
    default:
        Log.line("blogstats: unknown command \"\(command)\"\n\n\(usage)")
        exit(2)
    }
} catch let error as UsageError {
    Log.line("blogstats \(command): \(error.description) (see blogstats \(command) --help)")
    exit(2)
} catch {
    Log.line("blogstats \(command): \(error)")
    exit(1)
}
