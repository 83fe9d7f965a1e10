import Foundation

/// Snapshot bodies written the way `sqlite3 ".mode csv" ".header on"` writes them: a header,
/// `\r\n` line ends, a field quoted when it holds a comma, a quote or a line end.
struct CSVBody {
    var rows: [(id: String, slug: String, views: Int, title: String)]

    init(_ rows: [(id: String, slug: String, views: Int, title: String)]) {
        self.rows = rows
    }

    var text: String {
        var text = "id,slug,view_count,title\r\n"
        for row in rows {
            text += [row.id, row.slug, String(row.views), row.title].map(Self.field).joined(separator: ",") + "\r\n"
        }
        return text
    }

    var totalViews: Int { rows.reduce(0) { $0 + $1.views } }

    static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else {
            return text
        }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
