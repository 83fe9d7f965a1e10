import BlogStatsHTTP

/// Who may read (JSON API, later the dashboard): anyone on a loopback-only receiver, else a
/// bearer read token (a push token does not grant reading).
struct ReadAuthorizer: Sendable {
    let tokens: [[UInt8]]
    /// True when the server listens on a loopback address only.
    let loopbackOnly: Bool

    func decide(authorization: String?, client: IPAddress) -> APIError? {
        if loopbackOnly && client.isLoopback { return nil }
        guard !tokens.isEmpty else {
            return APIError(
                403,
                "reading needs a read credential: start the receiver with --read-token-file (or listen on loopback)")
        }
        guard let authorization, authorization.lowercased().hasPrefix("bearer ") else {
            return APIError(
                401, "a read token is required (Authorization: Bearer <token>)",
                headers: [
                    ("WWW-Authenticate", "Bearer")
                ])
        }
        let presented = Array(authorization.utf8.dropFirst(7).drop(while: { $0 == 0x20 }))
        var valid = false
        for token in tokens where PushAuthorizer.constantTimeEqual(token, presented) { valid = true }
        return valid ? nil : APIError(401, "the read token is not valid", headers: [("WWW-Authenticate", "Bearer")])
    }
}
