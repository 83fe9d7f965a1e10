import BlogStatsHTTP

/// Decides who may push: a valid token, or an address on the allow-list; with neither
/// configured, loopback only.
struct PushAuthorizer: Sendable {
    let tokens: [PushToken]
    let allow: [CIDR]

    enum Decision: Equatable {
        /// Allowed; when the token is bound to a blog, only that blog.
        case allowed(blog: String?)
        case denied(status: Int, message: String)
    }

    /// - Parameter proxied: the request names a forwarded client that no `--trust-proxy` vouches
    ///   for: a same-host proxy would otherwise make every client look like loopback.
    func decide(authorization: String?, client: IPAddress, proxied: Bool = false) -> Decision {
        var tokenProblem: String? = nil
        if let authorization {
            if authorization.lowercased().hasPrefix("bearer ") {
                let presented = Array(authorization.utf8.dropFirst(7).drop(while: { $0 == 0x20 }))
                if let token = match(presented) { return .allowed(blog: token.blog) }
                tokenProblem = "the push token is not valid"
            } else {
                tokenProblem = "the Authorization header must be \"Bearer <token>\""
            }
        }
        if allow.contains(where: { $0.contains(client) }) { return .allowed(blog: nil) }
        if let tokenProblem { return .denied(status: 401, message: tokenProblem) }
        if tokens.isEmpty && allow.isEmpty {
            if proxied {
                return .denied(
                    status: 403,
                    message:
                        "this request came through a proxy (X-Forwarded-For) that is not trusted: start the receiver with --trust-proxy or --push-token-file"
                )
            }
            return client.isLoopback
                ? .allowed(blog: nil)
                : .denied(
                    status: 403,
                    message:
                        "only loopback may push to a receiver started without --push-token-file or --allow (client \(client))"
                )
        }
        if tokens.isEmpty {
            return .denied(status: 403, message: "address \(client) is not on the allow-list")
        }
        return .denied(status: 401, message: "a push token is required (Authorization: Bearer <token>)")
    }

    /// Compares against every token without stopping early, so timing says nothing about them.
    private func match(_ presented: [UInt8]) -> PushToken? {
        var found: PushToken? = nil
        for token in tokens where Self.constantTimeEqual(token.secret, presented) {
            found = token
        }
        return found
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt8(truncatingIfNeeded: a.count ^ b.count)
        for index in 0..<max(a.count, b.count) {
            let x = index < a.count ? a[index] : 0
            let y = index < b.count ? b[index] : 0
            difference |= x ^ y
        }
        return difference == 0 && a.count == b.count
    }
}

/// The client's address: the TCP peer, or the address a trusted proxy forwarded.
enum ClientAddress {
    /// True when the request carries a forwarded client address that is not believed.
    static func isUntrustedForward(peer: IPAddress, forwardedFor: String?, trustedProxies: [CIDR]) -> Bool {
        forwardedFor != nil && !trustedProxies.contains(where: { $0.contains(peer) })
    }

    static func resolve(peer: IPAddress, forwardedFor: String?, trustedProxies: [CIDR]) -> IPAddress {
        guard let forwardedFor, trustedProxies.contains(where: { $0.contains(peer) }) else { return peer }
        // Walk from the nearest hop back; the first address that is not a trusted proxy is the client.
        var client = peer
        for hop in forwardedFor.split(separator: ",").reversed() {
            guard let address = IPAddress(hop.trimmingCharacters(in: " ")) else { break }
            client = address
            if !trustedProxies.contains(where: { $0.contains(address) }) { break }
        }
        return client
    }
}

extension Substring {
    func trimmingCharacters(in set: String) -> String {
        String(self.drop(while: { set.contains($0) }).reversed().drop(while: { set.contains($0) }).reversed())
    }
}
