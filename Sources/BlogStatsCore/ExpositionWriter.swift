/// Writes metric families in the Prometheus text format or OpenMetrics, straight into UTF-8 bytes.
///
/// `/metrics` writes two lines per post; for 100,000 posts that is 20 MB, so samples are built
/// label by label into one buffer (no strings, no arrays of labels) that a streamed response
/// takes from in pieces.
///
///     writer.declare(family)
///     writer.begin(family.sampleName)
///     writer.label("blog", "default")
///     writer.value(42)            // blogstats_blog_views_total{blog="default"} 42
public struct ExpositionWriter {
    public let format: ExpositionFormat
    public private(set) var bytes: [UInt8] = []
    /// True between a sample's first label and its value.
    private var inLabels = false

    public init(format: ExpositionFormat, capacity: Int = 0) {
        self.format = format
        bytes.reserveCapacity(capacity)
    }

    /// The bytes written since the last call; the buffer keeps its capacity.
    public mutating func take() -> [UInt8] {
        let taken = bytes
        bytes.removeAll(keepingCapacity: true)
        return taken
    }

    /// The family's `# HELP` and `# TYPE` lines (and `# UNIT` in OpenMetrics): before its samples.
    public mutating func declare(_ family: MetricFamily) {
        let (name, type) = family.declaration(in: format)
        append("# HELP ")
        append(name)
        bytes.append(UInt8(ascii: " "))
        ExpositionEscaping.appendHelp(family.help, format: format, to: &bytes)
        append("\n# TYPE ")
        append(name)
        bytes.append(UInt8(ascii: " "))
        append(type)
        bytes.append(UInt8(ascii: "\n"))
        if format == .openMetrics, let unit = family.unit {
            append("# UNIT ")
            append(name)
            bytes.append(UInt8(ascii: " "))
            append(unit)
            bytes.append(UInt8(ascii: "\n"))
        }
    }

    /// Starts a sample line with its name; labels and the value follow.
    @inline(__always)
    public mutating func begin(_ sampleName: String) {
        append(sampleName)
        inLabels = false
    }

    /// Adds a label; `value` is escaped.
    @inline(__always)
    public mutating func label(_ name: String, _ value: UnsafeBufferPointer<UInt8>) {
        openLabel(name)
        ExpositionEscaping.appendLabelValue(value, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    @inline(__always)
    public mutating func label(_ name: String, _ value: String) {
        openLabel(name)
        ExpositionEscaping.appendLabelValue(value, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    /// Ends the sample with an integer value.
    @inline(__always)
    public mutating func value(_ value: Int64) {
        closeLabels()
        appendInteger(value)
        bytes.append(UInt8(ascii: "\n"))
    }

    /// Ends the sample with a floating-point value (`+Inf`, `-Inf`, `NaN` as both formats spell them).
    public mutating func value(_ value: Double) {
        closeLabels()
        append(Self.number(value))
        bytes.append(UInt8(ascii: "\n"))
    }

    /// A histogram without labels: its buckets (cumulative, `+Inf` last), `_sum` and `_count`.
    public mutating func histogram(_ family: MetricFamily, _ histogram: Histogram) {
        let cumulative = histogram.cumulativeCounts
        for (index, count) in cumulative.enumerated() {
            begin(family.name + "_bucket")
            label("le", index < histogram.bounds.count ? Self.number(histogram.bounds[index]) : "+Inf")
            value(Int64(clamping: count))
        }
        begin(family.name + "_sum")
        value(histogram.sum)
        begin(family.name + "_count")
        value(Int64(clamping: histogram.count))
    }

    /// Ends the exposition: OpenMetrics requires `# EOF`; the text format needs nothing.
    public mutating func finish() {
        if format == .openMetrics { append("# EOF\n") }
    }

    /// A float as Go's ParseFloat reads it: `0.005`, `1.0`, `1e-05`, `+Inf`.
    public static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        return value.description
    }

    @inline(__always)
    private mutating func openLabel(_ name: String) {
        bytes.append(inLabels ? UInt8(ascii: ",") : UInt8(ascii: "{"))
        inLabels = true
        append(name)
        bytes.append(UInt8(ascii: "="))
        bytes.append(UInt8(ascii: "\""))
    }

    @inline(__always)
    private mutating func closeLabels() {
        if inLabels { bytes.append(UInt8(ascii: "}")) }
        inLabels = false
        bytes.append(UInt8(ascii: " "))
    }

    @inline(__always)
    private mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    /// Decimal digits without going through a String.
    @inline(__always)
    private mutating func appendInteger(_ value: Int64) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        guard magnitude >= 10 else {
            bytes.append(UInt8(ascii: "0") + UInt8(magnitude))
            return
        }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: room for 20 digits
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            while magnitude > 0 {
                buffer[23 - count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            }
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[(24 - count)...]))
        }
    }
}
