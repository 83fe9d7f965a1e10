import Foundation

/// One command-line option; every option can also come from `BLOGSTATS_<NAME>`.
struct OptionSpec {
    var name: String
    /// The value's placeholder in help (`ADDR:PORT`); nil for a flag without a value.
    var value: String?
    var help: String
    var defaultValue: String? = nil
    var repeatable = false

    var environmentName: String { "BLOGSTATS_" + name.uppercased().replacingOccurrences(of: "-", with: "_") }
}

/// A mistake on the command line (exit code 2).
struct UsageError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Parsed options: the command line wins over the environment, which wins over defaults.
struct Options {
    private var values: [String: [String]] = [:]
    let specs: [OptionSpec]

    init(_ arguments: [String], specs: [OptionSpec], environment: [String: String]) throws(UsageError) {
        self.specs = specs
        for spec in specs {
            if let text = environment[spec.environmentName], !text.isEmpty {
                values[spec.name] = spec.repeatable ? text.split(separator: ",").map(String.init) : [text]
            }
        }
        var fromCommandLine: Set<String> = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            guard argument.hasPrefix("--") else { throw UsageError("unexpected argument \"\(argument)\"") }
            var name = String(argument.dropFirst(2))
            var inline: String? = nil
            if let equals = name.firstIndex(of: "=") {
                inline = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            guard let spec = specs.first(where: { $0.name == name }) else {
                throw UsageError("unknown option --\(name)")
            }
            let value: String
            if spec.value == nil {
                value = inline ?? "true"
            } else if let inline {
                value = inline
            } else {
                guard index < arguments.count else { throw UsageError("--\(name) needs a value (\(spec.value!))") }
                value = arguments[index]
                index += 1
            }
            // The command line replaces a list from the environment rather than adding to it.
            if spec.repeatable && fromCommandLine.contains(name) {
                values[name, default: []].append(value)
            } else {
                values[name] = [value]
            }
            fromCommandLine.insert(name)
        }
    }

    func string(_ name: String) -> String? {
        values[name]?.last ?? specs.first(where: { $0.name == name })?.defaultValue
    }

    func list(_ name: String) -> [String] { values[name] ?? [] }

    func flag(_ name: String) -> Bool { ["true", "1", "yes"].contains(string(name)?.lowercased() ?? "") }

    func integer(_ name: String) throws(UsageError) -> Int {
        guard let text = string(name), let number = Int(text), number >= 0 else {
            throw UsageError("--\(name) must be a whole number, not \"\(string(name) ?? "")\"")
        }
        return number
    }

    /// A size in bytes with an optional K, M or G suffix (powers of 1024).
    func bytes(_ name: String) throws(UsageError) -> Int {
        let text = string(name) ?? ""
        let suffixes: [Character: Int] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30]
        let scale = text.last.flatMap { suffixes[Character($0.uppercased())] }
        guard let number = Int(scale == nil ? Substring(text) : text.dropLast()), number > 0 else {
            throw UsageError("--\(name) must be a size such as 16M, not \"\(text)\"")
        }
        return number * (scale ?? 1)
    }

    /// A duration such as 30s, 5m, 90d.
    func seconds(_ name: String, parse: (String) -> Int64?) throws(UsageError) -> Int64 {
        guard let text = string(name), let value = parse(text) else {
            throw UsageError("--\(name) must be a duration such as 30s, 5m, 90d, not \"\(string(name) ?? "")\"")
        }
        return value
    }

    /// The help text of a command: usage line, summary and one entry per option.
    static func help(usage: String, summary: String, specs: [OptionSpec], footer: String = "") -> String {
        var text = "usage: \(usage)\n\n\(summary)\n\noptions:\n"
        for spec in specs {
            let left = "  --\(spec.name)" + (spec.value.map { " \($0)" } ?? "")
            var help = spec.help
            if let defaultValue = spec.defaultValue { help += " (default: \(defaultValue))" }
            if spec.repeatable { help += "; repeatable" }
            help += " [env \(spec.environmentName)]"
            text += left + "\n      " + help + "\n"
        }
        text += "  --help\n      show this help\n"
        if !footer.isEmpty { text += "\n" + footer + "\n" }
        return text
    }
}
