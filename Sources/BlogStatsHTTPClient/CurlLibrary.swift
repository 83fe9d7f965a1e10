internal import CCurlLoader

#if canImport(Glibc)
    import Glibc
#endif

/// libcurl, opened on the first request (not at start-up): a command that never talks HTTP,
/// such as `blogstats serve`, maps none of it or its TLS, HTTP/2, LDAP and Kerberos libraries.
enum CurlLibrary {
    /// `BLOGSTATS_LIBCURL` when set (another build, e.g. libcurl-gnutls.so.4), else Debian's libcurl4.
    static var name: String { getenv("BLOGSTATS_LIBCURL").map { String(cString: $0) } ?? "libcurl.so.4" }

    /// Nil once libcurl is loaded and initialised; why not otherwise. Loaded once per process
    /// (a `static let` runs its initialiser exactly once, whichever thread asks first).
    static let failure: HTTPClientError? = {
        var reason = [CChar](repeating: 0, count: 512)
        guard ccurl_load(name, &reason, reason.count) == 0 else {
            let text = String(decoding: reason.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            return HTTPClientError(.libraryMissing, "needs libcurl (Debian package libcurl4): \(text)")
        }
        return nil
    }()
}
