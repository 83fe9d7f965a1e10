/// An IP address; IPv4 is kept as IPv4-mapped IPv6 (`::ffff:a.b.c.d`) so both families compare and hash alike.
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    /// Bytes 0–7 of the 16-byte address, big-endian.
    var high: UInt64
    /// Bytes 8–15 of the 16-byte address, big-endian.
    var low: UInt64

    /// Parses "203.0.113.7", "2001:db8::1" or "::ffff:1.2.3.4"; returns nil for anything else
    /// (zone ids, brackets and octal-looking IPv4 parts are rejected).
    public init?(_ text: String) {
        let utf8 = Array(text.utf8)
        if let v4 = IPAddress.parseIPv4(utf8[...]) {
            self.init(ipv4: v4)
        } else if let bytes = IPAddress.parseIPv6(utf8) {
            self.init(bytes: bytes)
        } else {
            return nil
        }
    }

    /// An IPv4 address given as a host-order 32-bit number.
    init(ipv4: UInt32) {
        high = 0
        low = 0x0000_ffff_0000_0000 | UInt64(ipv4)
    }

    /// An address from exactly 16 network-order bytes.
    init(bytes: [UInt8]) {
        precondition(bytes.count == 16, "an IPv6 address has 16 bytes")
        var h: UInt64 = 0
        var l: UInt64 = 0
        for index in 0..<8 {
            h = h << 8 | UInt64(bytes[index])
            l = l << 8 | UInt64(bytes[index + 8])
        }
        high = h
        low = l
    }

    init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// True for IPv4 addresses (stored as `::ffff:0:0/96`).
    public var isIPv4: Bool { high == 0 && low >> 32 == 0xffff }

    /// 127.0.0.0/8 and ::1.
    public var isLoopback: Bool {
        if isIPv4 { return (low >> 24) & 0xff == 127 }
        return high == 0 && low == 1
    }

    /// The 16 network-order bytes.
    var bytes: [UInt8] {
        (0..<16).map { index in
            let word = index < 8 ? high : low
            return UInt8(truncatingIfNeeded: word >> (UInt64(7 - index % 8) * 8))
        }
    }

    /// Dotted quad for IPv4 (and IPv4-mapped) addresses, RFC 5952 form for IPv6.
    public var description: String {
        if isIPv4 {
            let v4 = UInt32(truncatingIfNeeded: low)
            return "\(v4 >> 24).\(v4 >> 16 & 0xff).\(v4 >> 8 & 0xff).\(v4 & 0xff)"
        }
        let groups: [UInt16] = (0..<8).map { index in
            let word = index < 4 ? high : low
            return UInt16(truncatingIfNeeded: word >> (UInt64(3 - index % 4) * 16))
        }
        // RFC 5952: compress the longest run (first one on a tie) of two or more zero groups.
        var bestStart = -1
        var bestLength = 1
        var index = 0
        while index < 8 {
            guard groups[index] == 0 else { index += 1; continue }
            var end = index
            while end < 8 && groups[end] == 0 { end += 1 }
            if end - index > bestLength {
                bestStart = index
                bestLength = end - index
            }
            index = end
        }
        func hex(_ range: Range<Int>) -> String {
            groups[range].map { String($0, radix: 16) }.joined(separator: ":")
        }
        guard bestStart >= 0 else { return hex(0..<8) }
        return hex(0..<bestStart) + "::" + hex((bestStart + bestLength)..<8)
    }
}
