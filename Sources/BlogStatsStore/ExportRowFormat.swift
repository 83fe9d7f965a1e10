import BlogStatsCore

/// Writes an export's cells straight into a byte buffer, in CSV (RFC 4180: a header, `\r\n`
/// line ends, a field quoted when it holds a comma, a quote or a line end) or JSON Lines (one
/// object a line, keys as the CSV header names them, null for an empty cell).
///
/// A row is `column(0)` value `column(1)` value … `end()`; parts that repeat (a snapshot's time
/// and blog, a post's id and name) can be written once into their own buffer and copied.
struct ExportRowFormat {
    let format: ExportFormat
    /// What goes before each column's value: CSV `,` (nothing before the first); JSON `{"time":`, `,"blog":`…
    private let prefixes: [[UInt8]]
    private let rowEnd: [UInt8]
    /// The CSV header line; empty for JSON Lines.
    let header: [UInt8]

    init(kind: ExportKind, format: ExportFormat) {
        self.format = format
        let columns = kind.columns
        switch format {
        case .csv:
            prefixes = columns.indices.map { $0 == 0 ? [] : [UInt8(ascii: ",")] }
            rowEnd = Array("\r\n".utf8)
            header = Array((columns.joined(separator: ",") + "\r\n").utf8)
        case .json:
            prefixes = columns.enumerated().map { index, name in
                var bytes: [UInt8] = [UInt8(ascii: index == 0 ? "{" : ",")]
                JSONText.appendString(name, to: &bytes)
                bytes.append(UInt8(ascii: ":"))
                return bytes
            }
            rowEnd = Array("}\n".utf8)
            header = []
        }
    }

    func column(_ index: Int, _ buffer: inout [UInt8]) { buffer.append(contentsOf: prefixes[index]) }

    /// A text cell with its column prefix, encoded once and reused on every row (the blog's name).
    func cell(_ index: Int, text value: String) -> [UInt8] {
        var cell: [UInt8] = []
        column(index, &cell)
        text(value, &cell)
        return cell
    }

    func end(_ buffer: inout [UInt8]) { buffer.append(contentsOf: rowEnd) }

    func text(_ text: String, _ buffer: inout [UInt8]) {
        switch format {
        case .json: JSONText.appendString(text, to: &buffer)
        case .csv: Self.csvField(text, &buffer)
        }
    }

    func integer(_ value: Int64, _ buffer: inout [UInt8]) { Self.digits(value, &buffer) }

    func optionalInteger(_ value: Int64?, _ buffer: inout [UInt8]) {
        if let value { Self.digits(value, &buffer) } else { null(&buffer) }
    }

    /// CSV: an empty field; JSON: `null`.
    func null(_ buffer: inout [UInt8]) {
        if format == .json { buffer.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C]) }
    }

    func bool(_ value: Bool, _ buffer: inout [UInt8]) {
        buffer.append(contentsOf: value ? [0x74, 0x72, 0x75, 0x65] : [0x66, 0x61, 0x6C, 0x73, 0x65])
    }

    /// RFC 3339 in UTC, a string in JSON.
    func time(_ seconds: Int64, _ buffer: inout [UInt8]) { text(Timestamp.format(seconds), &buffer) }

    /// RFC 4180: quoted only when needed, quotes doubled; every other byte as it is.
    static func csvField(_ text: String, _ buffer: inout [UInt8]) {
        var text = text
        text.withUTF8 { bytes in
            let needsQuotes = bytes.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
            guard needsQuotes else {
                buffer.append(contentsOf: bytes)
                return
            }
            buffer.append(0x22)
            for byte in bytes {
                if byte == 0x22 { buffer.append(0x22) }
                buffer.append(byte)
            }
            buffer.append(0x22)
        }
    }

    /// Decimal digits without going through `String`.
    static func digits(_ value: Int64, _ buffer: inout [UInt8]) {
        if value < 0 {
            buffer.append(UInt8(ascii: "-"))
            // Int64.min has no positive counterpart: its magnitude fits UInt64.
            unsignedDigits(UInt64(bitPattern: 0 &- value), &buffer)
        } else {
            unsignedDigits(UInt64(value), &buffer)
        }
    }

    private static func unsignedDigits(_ value: UInt64, _ buffer: inout [UInt8]) {
        var scratch: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: room for 20 digits
        var count = 0
        var rest = value
        withUnsafeMutableBytes(of: &scratch) { raw in
            repeat {
                count += 1
                raw[24 - count] = UInt8(truncatingIfNeeded: 48 + rest % 10)
                rest /= 10
            } while rest > 0
            buffer.append(contentsOf: raw[(24 - count)...])
        }
    }
}
