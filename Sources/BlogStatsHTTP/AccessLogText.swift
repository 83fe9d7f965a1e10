/// Keeps access-log lines one line each with space-separated fields, whatever a client sent.
enum AccessLogText {
    /// Escapes control characters (and spaces, for fields before the last) as %XX so a
    /// crafted path cannot forge extra log lines or shift the fields a log parser reads.
    static func sanitize(_ text: String, keepSpaces: Bool = false) -> String {
        let escape = { (scalar: Unicode.Scalar) in needsEscape(scalar) && !(keepSpaces && scalar == " ") }
        guard text.unicodeScalars.contains(where: escape) else { return text }
        var result = ""
        for scalar in text.unicodeScalars {
            if escape(scalar) {
                let hex = String(scalar.value, radix: 16, uppercase: true)
                result += "%" + (hex.count < 2 ? "0" + hex : hex)
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value <= 0x20 || scalar.value == 0x7f || (0x80...0x9f).contains(scalar.value)
            || scalar == "\u{2028}" || scalar == "\u{2029}"
    }
}
