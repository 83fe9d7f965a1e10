import BlogStatsHTTP
import Testing

@Suite struct IPAddressTests {
    @Test(arguments: [
        ("203.0.113.7", "203.0.113.7"),
        ("0.0.0.0", "0.0.0.0"),
        ("255.255.255.255", "255.255.255.255"),
        ("2001:db8::1", "2001:db8::1"),
        ("2001:0DB8:0000:0000:0000:0000:0000:0001", "2001:db8::1"),
        ("::", "::"),
        ("::1", "::1"),
        ("1::", "1::"),
        ("fe80:0:0:0:1:0:0:1", "fe80::1:0:0:1"),
        ("2001:db8:0:0:1:0:0:0", "2001:db8:0:0:1::"),
        ("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"),
        ("::ffff:1.2.3.4", "1.2.3.4"),
        ("::FFFF:102:304", "1.2.3.4"),
        ("64:ff9b::192.0.2.33", "64:ff9b::c000:221"),
    ])
    func parsesAndPrintsNormalForm(text: String, expected: String) throws {
        let address = try #require(IPAddress(text))
        #expect(address.description == expected)
        #expect(IPAddress(expected) == address, "the printed form parses back to the same address")
    }

    @Test func mappedAddressEqualsPlainIPv4() {
        #expect(IPAddress("::ffff:1.2.3.4") == IPAddress("1.2.3.4"))
        #expect(IPAddress("::ffff:1.2.3.4")?.isIPv4 == true)
        #expect(IPAddress("::1.2.3.4") != IPAddress("1.2.3.4"), "the old compatible form is not mapped")
        #expect(IPAddress("2001:db8::1")?.isIPv4 == false)
    }

    @Test(arguments: [
        ("127.0.0.1", true), ("127.255.3.4", true), ("::1", true), ("::ffff:127.0.0.1", true),
        ("128.0.0.1", false), ("126.255.255.255", false), ("10.0.0.1", false), ("::2", false), ("::", false),
        ("2001:db8::1", false),
    ])
    func loopback(text: String, expected: Bool) throws {
        #expect(try #require(IPAddress(text)).isLoopback == expected)
    }

    @Test(arguments: [
        "", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.-4", "1.2.3.4 ", " 1.2.3.4", "1..2.3",
        "::g", ":::", "1::2::3", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7::8", "::1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7",
        "12345::", ":1::", "1:", "[::1]", "fe80::1%eth0", "::1.2.3", "1.2.3.4:5", "::1.2.3.4:5", "localhost",
    ])
    func rejectsBadText(text: String) {
        #expect(IPAddress(text) == nil)
    }
}
