import BlogStatsHTTP

/// Who may read (JSON API and dashboard): anyone on a loopback-only receiver, else a bearer
/// read token (a push token does not grant reading) or a dashboard session opened with the
/// read password.
struct ReadAuthorizer: Sendable {
    let tokens: [[UInt8]]
    /// True when the server listens on a loopback address only.
    let loopbackOnly: Bool
    /// Sessions opened at `/login`; nil when there is no read password.
    var sessions: SessionStore? = nil
    /// Proxies whose `X-Forwarded-For` names the client.
    var trustProxy: [CIDR] = []

    /// How a reader got in, or why not.
    enum Access {
        /// Loopback reader of a loopback-only receiver.
        case open
        case token
        case session
        /// No credential, but a password would do: a browser goes to the sign-in form.
        case signIn
        case refused(APIError)
    }

    /// The API's answer: nil when reading is allowed.
    func decide(_ request: HTTPRequest, now: Int64) -> APIError? {
        switch access(request, now: now) {
        case .open, .token, .session: return nil
        case .signIn:
            return APIError(
                401, "a read token (Authorization: Bearer <token>) or a dashboard session (/login) is required",
                headers: [("WWW-Authenticate", "Bearer")])
        case .refused(let error): return error
        }
    }

    func access(_ request: HTTPRequest, now: Int64) -> Access {
        let forwardedFor = request.header("x-forwarded-for")
        let client = ClientAddress.resolve(peer: request.peer, forwardedFor: forwardedFor, trustedProxies: trustProxy)
        // Through a same-host proxy nobody vouches for, every reader would look like loopback.
        let proxied = ClientAddress.isUntrustedForward(
            peer: request.peer, forwardedFor: forwardedFor, trustedProxies: trustProxy)
        return access(
            authorization: request.header("authorization"), cookie: request.header("cookie"), client: client,
            proxied: proxied, now: now)
    }

    func access(authorization: String?, cookie: String?, client: IPAddress, proxied: Bool, now: Int64) -> Access {
        if loopbackOnly && client.isLoopback && !proxied { return .open }
        guard !tokens.isEmpty || sessions != nil else {
            return .refused(
                APIError(
                    403,
                    "reading needs a read credential: start the receiver with --read-token-file or"
                        + " --read-password-file (or listen on loopback)"))
        }
        if let authorization {
            guard authorization.lowercased().hasPrefix("bearer ") else {
                return .refused(
                    APIError(
                        401, "a read token is required (Authorization: Bearer <token>)",
                        headers: [("WWW-Authenticate", "Bearer")]))
            }
            let presented = Array(authorization.utf8.dropFirst(7).drop(while: { $0 == 0x20 }))
            var valid = false
            for token in tokens where PushAuthorizer.constantTimeEqual(token, presented) { valid = true }
            return valid
                ? .token
                : .refused(APIError(401, "the read token is not valid", headers: [("WWW-Authenticate", "Bearer")]))
        }
        if let sessions, let value = SessionCookie.value(in: cookie), sessions.isValid(value, now: now) {
            return .session
        }
        if sessions != nil { return .signIn }
        return .refused(
            APIError(
                401, "a read token is required (Authorization: Bearer <token>)",
                headers: [("WWW-Authenticate", "Bearer")]))
    }
}
