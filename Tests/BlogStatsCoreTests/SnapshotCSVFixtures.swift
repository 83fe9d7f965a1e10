import Testing

@testable import BlogStatsCore

/// Shared by the SnapshotCSV test files: parse a text, catch its error, build an expected row.
let csvComma = UInt8(ascii: ",")
let csvTab = UInt8(ascii: "\t")

/// Parses with both readers, the text one (`SnapshotCSV.parse`) and the packed one the receiver
/// uses (`parsePacked`), and expects the same rows or the same error from both.
func csvParse(_ text: String, separator: UInt8 = csvComma) throws(SnapshotFormatError) -> [SnapshotRow] {
    try csvParse(Array(text.utf8), separator: separator)
}

func csvParse(_ body: [UInt8], separator: UInt8 = csvComma) throws(SnapshotFormatError) -> [SnapshotRow] {
    let packed = packedOutcome(body, separator: separator)
    do {
        let rows = try SnapshotCSV.parse(body, separator: separator)
        #expect(packed == .success(rows), "the packed reader differs")
        return rows
    } catch {
        #expect(packed == .failure(error), "the packed reader fails differently")
        throw error
    }
}

/// What `parsePacked` makes of a body, as rows of text.
func packedOutcome(_ body: [UInt8], separator: UInt8 = csvComma) -> Result<[SnapshotRow], SnapshotFormatError> {
    do {
        switch try SnapshotCSV.parsePacked(body, separator: separator) {
        case .packed(let packed, _): return .success(packed.rows)
        case .text(let rows, _): return .success(rows)
        }
    } catch {
        return .failure(error)
    }
}

/// The error a body is rejected with (the same from both readers), or nil when it parses.
func csvFailure(_ body: [UInt8], separator: UInt8 = csvComma) -> SnapshotFormatError? {
    do {
        _ = try csvParse(body, separator: separator)
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
