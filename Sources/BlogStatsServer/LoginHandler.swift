import BlogStatsHTTP
import BlogStatsWeb

/// `/login` and `/logout`: the read password (`--read-password-file`) opens a session cookie.
struct LoginHandler: Sendable {
    /// nil: no password configured (the form says so).
    let password: [UInt8]?
    let sessions: SessionStore?
    let throttle: LoginThrottle
    /// The receiver speaks TLS: cookies get `Secure`.
    let secure: Bool
    let trustProxy: [CIDR]
    let now: @Sendable () -> Int64
    let log: @Sendable (String) -> Void

    func handle(_ request: HTTPRequest) -> HTTPResponse {
        switch (request.path, request.method) {
        case ("/login", "GET"), ("/login", "HEAD"):
            let next = LoginForm.safeNext(request.query["next"] ?? "/")
            return WebHandler.page(200, LoginPage(next: next, available: password != nil).html())
        case ("/login", "POST"): return signIn(request)
        case ("/logout", "POST"), ("/logout", "GET"): return signOut(request)
        default:
            let allowed = request.path == "/login" ? "GET, HEAD, POST" : "GET, POST"
            return WebHandler.page(
                405, MessagePage(title: "Not allowed", message: "\(request.method) is not allowed here.").html(),
                headers: [("Allow", allowed)])
        }
    }

    private func signIn(_ request: HTTPRequest) -> HTTPResponse {
        guard let password, let sessions else {
            return WebHandler.page(403, LoginPage(available: false).html())
        }
        let client = ClientAddress.resolve(
            peer: request.peer, forwardedFor: request.header("x-forwarded-for"), trustedProxies: trustProxy)
        let form = LoginForm(body: request.body)
        let now = now()
        if let wait = throttle.wait(client, now: now) {
            log("login: \(client) throttled for \(wait) s")
            let minutes = (wait + 59) / 60
            let page = LoginPage(
                next: form.next, problem: "Too many wrong passwords. Try again in \(minutes) min.")
            return WebHandler.page(429, page.html(), headers: [("Retry-After", String(wait))])
        }
        guard PushAuthorizer.constantTimeEqual(password, form.password) else {
            throttle.failed(client, now: now)
            log("login: wrong password from \(client)")
            return WebHandler.page(401, LoginPage(next: form.next, problem: "That password is not right.").html())
        }
        throttle.succeeded(client)
        let token: String
        do throws(SessionToken.Failure) {
            token = try sessions.open(now: now)
        } catch {
            log("login: \(error)")
            return WebHandler.page(503, MessagePage(title: "Try again", message: "No session could be opened.").html())
        }
        return HTTPResponse(
            status: 303,
            headers: [
                ("Location", form.next),
                ("Set-Cookie", SessionCookie.set(token, maxAge: sessions.lifetime, secure: secure)),
                ("Cache-Control", "no-store"),
            ])
    }

    private func signOut(_ request: HTTPRequest) -> HTTPResponse {
        if let token = SessionCookie.value(in: request.header("cookie")) { sessions?.close(token) }
        return HTTPResponse(
            status: 303,
            headers: [
                ("Location", "/login"), ("Set-Cookie", SessionCookie.clear(secure: secure)),
                ("Cache-Control", "no-store"),
            ])
    }
}
