import BlogStatsHTTP
import Testing

@Suite struct CIDRTests {
    private func address(_ text: String) throws -> IPAddress { try #require(IPAddress(text)) }

    @Test func ipv4Range() throws {
        let range = try #require(CIDR("203.0.113.0/24"))
        #expect(range.contains(try address("203.0.113.0")))
        #expect(range.contains(try address("203.0.113.255")))
        #expect(range.contains(try address("::ffff:203.0.113.9")), "v4-mapped spelling of a member")
        #expect(!range.contains(try address("203.0.114.0")))
        #expect(!range.contains(try address("203.0.112.255")))
        #expect(!range.contains(try address("2001:db8::1")))
        #expect(range.description == "203.0.113.0/24")
    }

    @Test func ipv6Range() throws {
        let range = try #require(CIDR("2001:DB8::/32"))
        #expect(range.contains(try address("2001:db8::1")))
        #expect(range.contains(try address("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff")))
        #expect(!range.contains(try address("2001:db9::")))
        #expect(!range.contains(try address("1.2.3.4")))
        #expect(range.description == "2001:db8::/32")
    }

    @Test func zeroPrefixes() throws {
        let allV4 = try #require(CIDR("0.0.0.0/0"))
        #expect(allV4.contains(try address("1.2.3.4")))
        #expect(allV4.contains(try address("255.255.255.255")))
        #expect(!allV4.contains(try address("::1")), "an IPv4 /0 covers IPv4 only")
        let everything = try #require(CIDR("::/0"))
        #expect(everything.contains(try address("::1")))
        #expect(everything.contains(try address("2001:db8::1")))
        #expect(everything.description == "::/0")
        #expect(allV4.description == "0.0.0.0/0")
    }

    @Test func fullLengthPrefixesAndBareAddresses() throws {
        let host = try #require(CIDR("1.2.3.4/32"))
        #expect(host.contains(try address("1.2.3.4")))
        #expect(!host.contains(try address("1.2.3.5")))
        #expect(CIDR("1.2.3.4") == host)
        #expect(host.description == "1.2.3.4/32")
        let v6Host = try #require(CIDR("::1/128"))
        #expect(v6Host.contains(try address("::1")))
        #expect(!v6Host.contains(try address("::2")))
        #expect(CIDR("::1") == v6Host)
        #expect(v6Host.description == "::1/128")
    }

    @Test func mappedRangesAreIPv4Ranges() throws {
        let range = try #require(CIDR("::ffff:10.0.0.0/104"))
        #expect(range == CIDR("10.0.0.0/8"))
        #expect(range.description == "10.0.0.0/8")
        #expect(range.contains(try address("10.200.3.4")))
        #expect(!range.contains(try address("11.0.0.0")))
    }

    @Test func hostBitsAreCleared() throws {
        #expect(CIDR("203.0.113.7/24")?.description == "203.0.113.0/24")
        #expect(CIDR("203.0.113.7/24") == CIDR("203.0.113.0/24"))
        #expect(CIDR("2001:db8::ff/120")?.description == "2001:db8::/120")
        #expect(CIDR("10.1.2.3/7")?.description == "10.0.0.0/7")
    }

    @Test(arguments: [
        "1.2.3.4/33", "2001:db8::/129", "1.2.3.4/", "1.2.3.4/-1", "1.2.3.4/+8", "/24", "1.2.3/24", "::g/64",
        "1.2.3.4/8/8", "1.2.3.4/ 8", "1.2.3.4/0x8", "", "1.2.3", "::g", "1.2.3.4/1000",
    ])
    func rejectsBadText(text: String) {
        #expect(CIDR(text) == nil)
    }
}
