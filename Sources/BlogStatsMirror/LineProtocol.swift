/// InfluxDB line protocol for the old stack's schema, written byte by byte:
/// `blog_stats,blog=…,id=…,slug=…,title=… value=42i 1764778800`.
public enum LineProtocol {
    /// The measurement existing Grafana dashboards read.
    public static let measurement = "blog_stats"

    /// Everything before the value: measurement, tags sorted by key (`blog`, `id`, `slug`,
    /// `title`), an empty value omitted, and `value=`. Built once per post name, reused per point.
    public static func prefix(blog: String?, id: String, slug: String, title: String) -> [UInt8] {
        var bytes = Array(measurement.utf8)
        bytes.reserveCapacity(bytes.count + id.utf8.count + slug.utf8.count + title.utf8.count + 32)
        for (key, value) in [("blog", blog ?? ""), ("id", id), ("slug", slug), ("title", title)] {
            appendTag(key, value, to: &bytes)
        }
        bytes.append(contentsOf: " value=".utf8)
        return bytes
    }

    /// A whole point: the prefix, `<views>i`, a space, the time in seconds and a newline.
    public static func appendPoint(prefix: [UInt8], views: Int64, time: Int64, to bytes: inout [UInt8]) {
        bytes.append(contentsOf: prefix)
        appendInteger(views, to: &bytes)
        bytes.append(UInt8(ascii: "i"))
        bytes.append(UInt8(ascii: " "))
        appendInteger(time, to: &bytes)
        bytes.append(UInt8(ascii: "\n"))
    }

    /// `,key=value` with the value escaped; nothing when the escaped value is empty (InfluxDB
    /// refuses empty tag values).
    static func appendTag(_ key: String, _ value: String, to bytes: inout [UInt8]) {
        let escaped = escapeTagValue(value)
        guard !escaped.isEmpty else { return }
        bytes.append(UInt8(ascii: ","))
        bytes.append(contentsOf: key.utf8)
        bytes.append(UInt8(ascii: "="))
        bytes.append(contentsOf: escaped)
    }

    /// A tag value as InfluxDB 1.x reads it back unchanged: `,` `=` and space get a backslash;
    /// a backslash stays as it is (InfluxDB keeps `\\` as two); CR and LF, which no tag may
    /// hold, become spaces; a backslash at the very end, which InfluxDB cannot take, is dropped.
    public static func escapeTagValue(_ value: String) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(value.utf8.count + 4)
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: ","), UInt8(ascii: "="), UInt8(ascii: " "):
                bytes.append(UInt8(ascii: "\\"))
                bytes.append(byte)
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                bytes.append(UInt8(ascii: "\\"))
                bytes.append(UInt8(ascii: " "))
            default:
                bytes.append(byte)
            }
        }
        while bytes.last == UInt8(ascii: "\\") { bytes.removeLast() }
        return bytes
    }

    static func appendInteger(_ value: Int64, to bytes: inout [UInt8]) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        guard magnitude > 0 else {
            bytes.append(UInt8(ascii: "0"))
            return
        }
        var digits: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0
        )
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            while magnitude > 0 {
                buffer[count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            }
            for index in stride(from: count - 1, through: 0, by: -1) { bytes.append(buffer[index]) }
        }
    }
}
