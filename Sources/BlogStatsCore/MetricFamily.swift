/// One metric family of `/metrics`: its name, type, help text and unit.
///
/// `name` is the family's name as OpenMetrics declares it: without `_total` for a counter and
/// without `_info` for an info metric. The samples carry those suffixes in both formats; the text
/// format declares a counter with `_total` and an info metric as a gauge named `…_info`.
public struct MetricFamily: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case counter
        case gauge
        case histogram
        /// Labels with the constant value 1 (OpenMetrics `info`; a gauge in the text format).
        case info
    }

    public let name: String
    public let kind: Kind
    public let help: String
    /// The OpenMetrics unit (`seconds`, `bytes`), which the name must end with; nil for none.
    public let unit: String?

    public init(_ name: String, _ kind: Kind, help: String, unit: String? = nil) {
        precondition(unit.map { name.hasSuffix("_" + $0) } ?? true, "\(name) must end with its unit")
        self.name = name
        self.kind = kind
        self.help = help
        self.unit = unit
    }

    /// The name of the family's plain samples: `name_total` for a counter, `name_info` for info,
    /// `name` otherwise (a histogram's samples add `_bucket`, `_sum`, `_count` to it).
    public var sampleName: String {
        switch kind {
        case .counter: name + "_total"
        case .info: name + "_info"
        case .gauge, .histogram: name
        }
    }

    /// The name and type the `# TYPE` line gives in `format`.
    public func declaration(in format: ExpositionFormat) -> (name: String, type: String) {
        switch (kind, format) {
        case (.counter, .prometheusText): (sampleName, "counter")
        case (.counter, .openMetrics): (name, "counter")
        case (.info, .prometheusText): (sampleName, "gauge")
        case (.info, .openMetrics): (name, "info")
        case (.gauge, _): (name, "gauge")
        case (.histogram, _): (name, "histogram")
        }
    }
}
