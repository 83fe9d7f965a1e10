/// Escaping of label values and help texts in the Prometheus and OpenMetrics text formats.
///
/// Label values (both formats): `\` → `\\`, `"` → `\"`, line feed → `\n`; every other byte,
/// carriage returns and any UTF-8 included, is written as it is. Help texts: `\` and line feed
/// in both; `"` only in OpenMetrics, whose help is an escaped string like a label value (the text
/// format would show a `\"` as written).
public enum ExpositionEscaping {
    /// Appends `value` escaped as a label value (without the surrounding quotes).
    @inline(__always)
    public static func appendLabelValue(_ value: UnsafeBufferPointer<UInt8>, to bytes: inout [UInt8]) {
        append(value, to: &bytes, escapingQuotes: true)
    }

    public static func appendLabelValue(_ value: String, to bytes: inout [UInt8]) {
        var value = value
        value.withUTF8 { append($0, to: &bytes, escapingQuotes: true) }
    }

    /// Appends `text` escaped for a `# HELP` line in `format`.
    public static func appendHelp(_ text: String, format: ExpositionFormat, to bytes: inout [UInt8]) {
        var text = text
        text.withUTF8 { append($0, to: &bytes, escapingQuotes: format == .openMetrics) }
    }

    /// The escaped label value as a string (for tests and messages).
    public static func labelValue(_ value: String) -> String {
        var bytes: [UInt8] = []
        appendLabelValue(value, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends runs without special bytes in one piece: titles rarely hold any.
    @inline(__always)
    private static func append(_ value: UnsafeBufferPointer<UInt8>, to bytes: inout [UInt8], escapingQuotes: Bool) {
        var start = 0
        for index in value.indices {
            let byte = value[index]
            let escaped: UInt8
            switch byte {
            case UInt8(ascii: "\\"): escaped = UInt8(ascii: "\\")
            case UInt8(ascii: "\n"): escaped = UInt8(ascii: "n")
            case UInt8(ascii: "\"") where escapingQuotes: escaped = UInt8(ascii: "\"")
            default: continue
            }
            if start < index { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: value[start..<index])) }
            bytes.append(UInt8(ascii: "\\"))
            bytes.append(escaped)
            start = index + 1
        }
        if start < value.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: value[start...])) }
    }
}
