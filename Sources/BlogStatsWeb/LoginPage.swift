/// `/login`: the password form that opens a session.
public struct LoginPage: Sendable {
    /// Where to go after signing in (a local path).
    public var next: String
    /// Why the last attempt failed, shown above the form.
    public var problem: String?
    /// False when the receiver has no `--read-password-file`: the page says so instead.
    public var available: Bool

    public init(next: String = "/", problem: String? = nil, available: Bool = true) {
        self.next = next
        self.problem = problem
        self.available = available
    }

    public func html() -> String {
        var out = "<section class=\"card login\"><h1>Sign in</h1>"
        guard available else {
            out += "<p>This receiver has no dashboard password. Start it with <code>--read-password-file FILE</code>,"
            out += " send a read token (<code>Authorization: Bearer …</code>), or open it from the same machine.</p>"
            return PageShell.document(title: "Sign in", context: nil, main: out + "</section>")
        }
        out += "<p class=\"subtitle\">The dashboard of this blogstats receiver is private.</p>"
        if let problem { out += "<p class=\"problem\" role=\"alert\">\(HTML.escape(problem))</p>" }
        out += "<form method=\"post\" action=\"/login\">"
        out += "<input type=\"hidden\" name=\"next\" value=\"\(HTML.escape(next))\">"
        out += "<label>Password <input type=\"password\" name=\"password\" autocomplete=\"current-password\""
        out += " required autofocus></label><button type=\"submit\" class=\"primary\">Sign in</button></form></section>"
        return PageShell.document(title: "Sign in", context: nil, main: out)
    }
}
