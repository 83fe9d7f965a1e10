/// The dashboard's static, first-party assets and the security policy its pages are served with.
public enum Dashboard {
    /// No inline script, no inline style, nothing from another origin. Inline SVG needs none
    /// of these: it is markup, styled by classes from the stylesheet.
    public static let contentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; object-src 'none';"
        + " base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

    /// `/static/icon.svg`
    public static let icon = """
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#2f6fed"/>\
        <g fill="#fff"><rect x="3" y="9" width="2.4" height="4"/><rect x="6.8" y="6" width="2.4" height="7"/>\
        <rect x="10.6" y="3" width="2.4" height="10"/></g></svg>
        """

    /// Changes whenever an asset does: asset URLs carry it, so they can be cached for long.
    public static let assetVersion: String = {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in (stylesheet + script + icon).utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        let text = String(hash, radix: 16)
        return String(text.prefix(10))
    }()
}
