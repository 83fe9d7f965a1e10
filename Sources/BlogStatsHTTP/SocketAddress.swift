import CMicroHTTPD
import Glibc

/// Conversions between IPAddress and the C socket-address structs libmicrohttpd uses.
enum SocketAddress {
    /// Reads the IP of a peer address (IPv4 or IPv6); nil for other families.
    static func ipAddress(_ address: UnsafePointer<sockaddr>) -> IPAddress? {
        switch Int32(address.pointee.sa_family) {
        case AF_INET:
            return address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
                IPAddress(ipv4: UInt32(bigEndian: $0.pointee.sin_addr.s_addr))
            }
        case AF_INET6:
            return address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { pointer in
                var storage = pointer.pointee.sin6_addr
                return withUnsafeBytes(of: &storage) { IPAddress(bytes: Array($0)) }
            }
        default:
            return nil
        }
    }

    /// Calls `body` with a socket address for `address:port` that lives for the call:
    /// a sockaddr_in for IPv4 (also when written in ::ffff: form), else a sockaddr_in6.
    static func withSocketAddress<Result>(
        _ address: IPAddress, port: UInt16, _ body: (UnsafeMutablePointer<sockaddr>, _ isIPv6: Bool) -> Result
    ) -> Result {
        if address.isIPv4 {
            var v4 = sockaddr_in()
            v4.sin_family = sa_family_t(AF_INET)
            v4.sin_port = port.bigEndian
            v4.sin_addr.s_addr = UInt32(truncatingIfNeeded: address.low).bigEndian
            return withUnsafeMutablePointer(to: &v4) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, false) }
            }
        }
        var v6 = sockaddr_in6()
        v6.sin6_family = sa_family_t(AF_INET6)
        v6.sin6_port = port.bigEndian
        let bytes = address.bytes
        withUnsafeMutableBytes(of: &v6.sin6_addr) { raw in
            for index in 0..<16 { raw[index] = bytes[index] }
        }
        return withUnsafeMutablePointer(to: &v6) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, true) }
        }
    }
}
