@testable import BlogStatsCore

/// Shared by the SnapshotCSV test files: parse a text, catch its error, build an expected row.
let csvComma = UInt8(ascii: ",")
let csvTab = UInt8(ascii: "\t")

func csvParse(_ text: String, separator: UInt8 = csvComma) throws(SnapshotFormatError) -> [SnapshotRow] {
    try SnapshotCSV.parse(Array(text.utf8), separator: separator)
}

/// The error a body is rejected with, or nil when it parses.
func csvFailure(_ body: [UInt8], separator: UInt8 = csvComma) -> SnapshotFormatError? {
    do {
        _ = try SnapshotCSV.parse(body, separator: separator)
        return nil
    } catch {
        return error
    }
}

func csvFailure(_ text: String, separator: UInt8 = csvComma) -> SnapshotFormatError? {
    csvFailure(Array(text.utf8), separator: separator)
}

func csvRow(_ id: String, _ slug: String, _ views: Int64, _ title: String, blog: String = "", line: Int)
    -> SnapshotRow
{
    SnapshotRow(id: id, slug: slug, title: title, views: views, blog: blog, line: line)
}
