/// A page that only says something: an unknown blog or post, a window that makes no sense,
/// an empty receiver, a refusal.
public struct MessagePage: Sendable {
    public var title: String
    /// Plain text (escaped here).
    public var message: String
    /// Optional HTML after the message (already safe: built from escaped parts).
    public var detailHTML: String
    /// A way back, e.g. ("/", "the overview").
    public var link: (href: String, label: String)?

    public init(title: String, message: String, detailHTML: String = "", link: (href: String, label: String)? = nil) {
        self.title = title
        self.message = message
        self.detailHTML = detailHTML
        self.link = link
    }

    public func html() -> String {
        var out = "<section class=\"card\"><h1>\(HTML.escape(title))</h1><p>\(HTML.escape(message))</p>\(detailHTML)"
        if let link { out += "<p><a href=\"\(HTML.escape(link.href))\">\(HTML.escape(link.label))</a></p>" }
        return PageShell.document(title: title, context: nil, main: out + "</section>")
    }
}
