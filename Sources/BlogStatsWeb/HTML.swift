/// Escaping for user-written text (WriteFreely titles and slugs) wherever it lands in a page.
public enum HTML {
    /// Text for element content or a double-quoted attribute value, in HTML and in SVG:
    /// `& < > " '` become entities and control characters (line breaks included) become
    /// spaces, so a title can neither open markup nor end an attribute nor break a line.
    public static func escape(_ text: String) -> String {
        // Most titles need nothing: one pass over the bytes decides.
        var plain = true
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "&"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\""), UInt8(ascii: "'"),
                0..<0x20, 0x7F, 0xC2, 0xE2:
                plain = false
            default: continue
            }
            break
        }
        if plain { return text }
        var escaped = ""
        escaped.unicodeScalars.reserveCapacity(text.unicodeScalars.count + 16)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default:
                // C0, DEL, C1 and the Unicode line and paragraph separators.
                let value = scalar.value
                if value < 0x20 || (0x7F...0x9F).contains(value) || value == 0x2028 || value == 0x2029 {
                    escaped += " "
                } else {
                    escaped.unicodeScalars.append(scalar)
                }
            }
        }
        return escaped
    }

    /// A path segment or query value: everything but RFC 3986's unreserved characters is
    /// percent-encoded (UTF-8), so the result is also safe inside an attribute.
    public static func percentEncode(_ text: String) -> String {
        let hex: [UInt8] = Array("0123456789ABCDEF".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                bytes.append(byte)
            default:
                bytes.append(UInt8(ascii: "%"))
                bytes.append(hex[Int(byte >> 4)])
                bytes.append(hex[Int(byte & 0xF)])
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `?a=1&b=2` with every name and value percent-encoded, ready for an `href` (escaped);
    /// "" when there are no parameters.
    public static func query(_ parameters: [(String, String)]) -> String {
        guard !parameters.isEmpty else { return "" }
        return "?"
            + parameters.map { percentEncode($0.0) + "=" + percentEncode($0.1) }.joined(separator: "&amp;")
    }
}
