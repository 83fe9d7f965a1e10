/// Splits a raw request target into a decoded path and decoded query arguments.
///
/// The raw target comes from libmicrohttpd's URI-log hook, before its own unescaping,
/// so that the rules (including `+` as space only in the query) are ours and testable.
enum URIDecoding {
    static func split(_ rawTarget: String) -> (path: String, query: [String: String]) {
        var target = Substring(rawTarget)
        // Absolute-form targets ("http://host/p") are legal in HTTP/1.1; keep only the path part.
        if let schemeEnd = target.firstRange(of: "://"), target[..<schemeEnd.lowerBound].allSatisfy(\.isLetter) {
            let afterAuthority = target[schemeEnd.upperBound...]
            target =
                afterAuthority.firstIndex(where: { $0 == "/" || $0 == "?" })
                .map { afterAuthority[$0...] } ?? "/"
        }
        if let hash = target.firstIndex(of: "#") { target = target[..<hash] }
        guard let questionMark = target.firstIndex(of: "?") else {
            return (decode(target, plusIsSpace: false), [:])
        }
        let path = decode(target[..<questionMark], plusIsSpace: false)
        var query: [String: String] = [:]
        for pair in target[target.index(after: questionMark)...].split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = decode(parts[0], plusIsSpace: true)
            guard !name.isEmpty else { continue }
            query[name] = parts.count == 2 ? decode(parts[1], plusIsSpace: true) : ""
        }
        return (path, query)
    }

    /// Percent-decodes UTF-8; malformed escapes stay literal and invalid UTF-8 becomes U+FFFD.
    static func decode(_ text: Substring, plusIsSpace: Bool) -> String {
        let utf8 = Array(text.utf8)
        guard utf8.contains(UInt8(ascii: "%")) || (plusIsSpace && utf8.contains(UInt8(ascii: "+"))) else {
            return String(text)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count)
        var index = 0
        while index < utf8.count {
            let byte = utf8[index]
            if byte == UInt8(ascii: "%"), index + 2 < utf8.count,
                let high = hexValue(utf8[index + 1]), let low = hexValue(utf8[index + 2])
            {
                bytes.append(high << 4 | low)
                index += 3
            } else {
                bytes.append(plusIsSpace && byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
