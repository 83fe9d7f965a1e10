/// The dashboard's session cookie: HttpOnly (no script reads it), SameSite=Strict (no other
/// site's page sends it), Secure when the receiver speaks TLS.
enum SessionCookie {
    static let name = "blogstats_session"

    /// The session token in a `Cookie` header, if one is there and well formed.
    static func value(in header: String?) -> String? {
        guard let header else { return nil }
        for pair in header.split(separator: ";") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, parts[0].trimmingCharacters(in: " ") == name else { continue }
            let value = parts[1].trimmingCharacters(in: " ")
            if SessionToken.isWellFormed(value) { return value }
        }
        return nil
    }

    /// `Set-Cookie` for a new session.
    static func set(_ token: String, maxAge: Int64, secure: Bool) -> String {
        "\(name)=\(token); Path=/; Max-Age=\(maxAge); HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "")
    }

    /// `Set-Cookie` that removes it.
    static func clear(secure: Bool) -> String {
        "\(name)=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "")
    }
}
