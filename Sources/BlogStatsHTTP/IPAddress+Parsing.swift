// The text parsers behind IPAddress.init?(_:), working on UTF-8 bytes so that no
// Foundation scanner (and no locale) is involved.
extension IPAddress {
    /// "a.b.c.d" with four decimal parts 0–255; leading zeros are refused because
    /// some resolvers read them as octal, which would make an allow-list ambiguous.
    static func parseIPv4(_ text: ArraySlice<UInt8>) -> UInt32? {
        var value: UInt32 = 0
        var parts = 0
        var current: UInt32 = 0
        var digits = 0
        var firstDigit: UInt8 = 0
        for byte in text {
            if byte == UInt8(ascii: ".") {
                guard digits > 0, parts < 3 else { return nil }
                value = value << 8 | current
                parts += 1
                current = 0
                digits = 0
            } else if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                if digits == 0 { firstDigit = byte }
                digits += 1
                guard digits <= 3, !(digits == 2 && firstDigit == UInt8(ascii: "0")) else { return nil }
                current = current * 10 + UInt32(byte - UInt8(ascii: "0"))
                guard current <= 255 else { return nil }
            } else {
                return nil
            }
        }
        guard digits > 0, parts == 3 else { return nil }
        return value << 8 | current
    }

    /// RFC 4291 section 2.2 text: up to eight hex groups, at most one "::", and an
    /// optional dotted IPv4 tail standing for the last two groups.
    static func parseIPv6(_ text: [UInt8]) -> [UInt8]? {
        guard text.count >= 2 else { return nil }
        var head: [UInt16] = []
        var tail: [UInt16] = []
        var sawDoubleColon = false
        var index = 0
        // A leading "::" is the only place a group list may start with a colon.
        if text[0] == UInt8(ascii: ":") {
            guard text[1] == UInt8(ascii: ":") else { return nil }
            sawDoubleColon = true
            index = 2
        }
        while index < text.count {
            // Find the end of this group.
            var end = index
            while end < text.count && text[end] != UInt8(ascii: ":") { end += 1 }
            let group = text[index..<end]
            if group.contains(UInt8(ascii: ".")) {
                // An IPv4 tail must be the very last thing in the text.
                guard end == text.count, let v4 = parseIPv4(group) else { return nil }
                let pair = [UInt16(v4 >> 16), UInt16(v4 & 0xffff)]
                if sawDoubleColon { tail += pair } else { head += pair }
                index = end
                break
            }
            guard let value = parseHexGroup(group) else { return nil }
            if sawDoubleColon { tail.append(value) } else { head.append(value) }
            guard end < text.count else { index = end; break }
            // `end` is at a colon: either a separator or the start of "::".
            if end + 1 < text.count && text[end + 1] == UInt8(ascii: ":") {
                guard !sawDoubleColon else { return nil }
                sawDoubleColon = true
                index = end + 2
            } else {
                guard end + 1 < text.count else { return nil }  // trailing single colon
                index = end + 1
            }
        }
        let total = head.count + tail.count
        if sawDoubleColon {
            guard total <= 7 else { return nil }
        } else {
            guard total == 8 else { return nil }
        }
        let groups = head + [UInt16](repeating: 0, count: 8 - total) + tail
        return groups.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xff)] }
    }

    private static func parseHexGroup(_ group: ArraySlice<UInt8>) -> UInt16? {
        guard (1...4).contains(group.count) else { return nil }
        var value: UInt16 = 0
        for byte in group {
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt16(digit)
        }
        return value
    }
}
