/// Writes snapshot rows in the wire format: a header `id,slug,view_count,title`, then one
/// record per post, RFC 4180 quoting, `\n` line ends.
///
/// A cell is quoted only when it holds a comma, a quote or a line break, so the output is
/// what `sqlite3 ".mode csv"` writes apart from line ends.
public struct SnapshotCSVWriter: Sendable {
    public private(set) var bytes: [UInt8]
    public private(set) var rows = 0

    public static let header = Array("id,slug,view_count,title\n".utf8)

    public init() {
        bytes = Self.header
    }

    /// Forgets the bytes written so far (they were compressed elsewhere) but not the row count;
    /// what follows continues the same body, without a second header.
    public mutating func removeAllBytes() {
        bytes.removeAll(keepingCapacity: true)
    }

    public mutating func append(id: String, slug: String, views: Int64, title: String) {
        var (id, slug, title) = (id, slug, title)
        id.withUTF8 { id in
            slug.withUTF8 { slug in
                title.withUTF8 { title in append(id: id, slug: slug, views: views, title: title) }
            }
        }
    }

    /// The same record from UTF-8 bytes that are already valid (no `String` is made: the
    /// collector's hot loop).
    public mutating func append(
        id: UnsafeBufferPointer<UInt8>, slug: UnsafeBufferPointer<UInt8>, views: Int64,
        title: UnsafeBufferPointer<UInt8>
    ) {
        appendCell(id)
        bytes.append(Self.comma)
        appendCell(slug)
        bytes.append(Self.comma)
        appendNumber(views)
        bytes.append(Self.comma)
        appendCell(title)
        bytes.append(Self.newline)
        rows += 1
    }

    private static let comma = UInt8(ascii: ",")
    private static let quote = UInt8(ascii: "\"")
    private static let newline = UInt8(ascii: "\n")
    private static let carriageReturn = UInt8(ascii: "\r")

    private mutating func appendCell(_ cell: UnsafeBufferPointer<UInt8>) {
        var needsQuotes = false
        for byte in cell
        where byte == Self.comma || byte == Self.quote || byte == Self.newline
            || byte == Self.carriageReturn
        {
            needsQuotes = true
            break
        }
        guard needsQuotes else {
            bytes.append(contentsOf: cell)
            return
        }
        bytes.append(Self.quote)
        for byte in cell {
            if byte == Self.quote { bytes.append(Self.quote) }
            bytes.append(byte)
        }
        bytes.append(Self.quote)
    }

    private mutating func appendNumber(_ number: Int64) {
        guard number != 0 else {
            bytes.append(UInt8(ascii: "0"))
            return
        }
        if number < 0 { bytes.append(UInt8(ascii: "-")) }
        // Digits come out backwards; 20 covers Int64.min.
        var digits: (UInt64, Int) = (number.magnitude, 0)
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { buffer in
            while digits.0 > 0 {
                buffer[digits.1] = UInt8(ascii: "0") + UInt8(digits.0 % 10)
                digits.0 /= 10
                digits.1 += 1
            }
            for index in stride(from: digits.1 - 1, through: 0, by: -1) { bytes.append(buffer[index]) }
        }
    }
}
