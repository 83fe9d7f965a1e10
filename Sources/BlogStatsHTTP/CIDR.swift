/// A CIDR range, IPv4 or IPv6: "203.0.113.0/24", "2001:db8::/32"; a bare address means /32 or /128.
public struct CIDR: Sendable, Hashable, CustomStringConvertible {
    /// The network address, with the host bits cleared so equal ranges compare equal.
    let network: IPAddress
    /// The prefix length over all 128 bits; an IPv4 /n is stored as /(96 + n) of the mapped space.
    let prefixLength: Int

    /// Parses "address/prefix" or a bare address. Host bits after the prefix are
    /// accepted and cleared ("203.0.113.7/24" is 203.0.113.0/24).
    public init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPAddress(String(parts[0])) else { return nil }
        // v4 text is written against 32 bits, everything else against 128.
        let isV4Text = !parts[0].contains(":")
        let maximum = isV4Text ? 32 : 128
        var length = maximum
        if parts.count == 2 {
            let digits = parts[1]
            guard (1...3).contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }),
                let value = Int(digits), value <= maximum
            else { return nil }
            length = value
        }
        self.init(address: address, prefixLength: isV4Text ? 96 + length : length)
    }

    init(address: IPAddress, prefixLength: Int) {
        precondition((0...128).contains(prefixLength), "prefix length is 0...128")
        self.prefixLength = prefixLength
        let mask = CIDR.mask(prefixLength)
        network = IPAddress(high: address.high & mask.high, low: address.low & mask.low)
    }

    /// True when the first `prefixLength` bits of `address` equal the network's.
    public func contains(_ address: IPAddress) -> Bool {
        let mask = CIDR.mask(prefixLength)
        return address.high & mask.high == network.high && address.low & mask.low == network.low
    }

    /// IPv4 ranges print as "a.b.c.d/n" (also when written in ::ffff: form), others as "v6/n".
    public var description: String {
        // A prefix shorter than 96 clears part of the ffff marker, so a masked network
        // that still looks IPv4 always has a prefix of at least 96.
        if network.isIPv4 {
            return "\(network)/\(prefixLength - 96)"
        }
        return "\(network)/\(prefixLength)"
    }

    private static func mask(_ length: Int) -> (high: UInt64, low: UInt64) {
        func bits(_ count: Int) -> UInt64 {
            count <= 0 ? 0 : count >= 64 ? .max : ~(UInt64.max >> UInt64(count))
        }
        return (bits(length), bits(length - 64))
    }
}
