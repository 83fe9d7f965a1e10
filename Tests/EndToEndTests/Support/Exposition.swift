/// A `/metrics` body split into its lines: samples by series (everything before the value, as
/// written) and the `#` lines, for exact comparisons without a parser of our own.
struct Exposition {
    let text: String
    let lines: [String]
    /// `name{labels}` as written → the value as written.
    let samples: [String: String]
    /// Series in the order written (to check a family's samples are together).
    let series: [String]

    init(_ text: String) {
        self.text = text
        lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var samples: [String: String] = [:]
        var series: [String] = []
        for line in lines where !line.isEmpty && !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " ") else { continue }
            let key = String(line[..<space])
            samples[key] = String(line[line.index(after: space)...])
            series.append(key)
        }
        self.samples = samples
        self.series = series
    }

    /// Samples whose series starts with `prefix` (a metric name, with `{` to exclude longer names).
    func samples(startingWith prefix: String) -> [String: String] {
        samples.filter { $0.key.hasPrefix(prefix) }
    }

    /// The `# TYPE` lines, e.g. `# TYPE blogstats_post_views counter`.
    var types: [String] { lines.filter { $0.hasPrefix("# TYPE ") } }
}
