// libFuzzer entry point for the snapshot reader, gzip and timestamps (see scripts/fuzz.sh).
// Built with BlogStatsCore's sources into one module, so it reaches internal code too.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    for separator in [UInt8(ascii: ","), UInt8(ascii: "\t")] {
        // The receiver's byte-range reader must agree with the String one: same rows, same error.
        let text = Result { () throws(SnapshotFormatError) in
            try SnapshotCSV.parseWithLayout(bytes, separator: separator)
        }
        let packed = Result { () throws(SnapshotFormatError) in try SnapshotCSV.parsePacked(bytes, separator: separator)
        }
        switch (text, packed) {
        case (.success(let text), .success(.packed(let rows, let idColumn))):
            precondition(rows.rows == text.rows && idColumn == text.idColumn, "parsePacked rows differ")
        case (.success(let text), .success(.text(let rows, let idColumn))):
            precondition(rows == text.rows && idColumn == text.idColumn, "parsePacked text rows differ")
        case (.failure(let a), .failure(let b)):
            precondition(a == b, "different errors: \(a) / \(b)")
        default:
            preconditionFailure("parsePacked and parseWithLayout disagree: \(text) / \(packed)")
        }
        if let parsed = try? SnapshotCSV.parseWithLayout(bytes, separator: separator) {
            _ = try? Snapshot.group(
                parsed.rows, defaultBlog: "default", capturedAt: 0, explicitTime: true, idColumn: parsed.idColumn)
            _ = ContentHash.snapshot(parsed.rows)
        }
    }
    _ = try? Gzip.inflate(bytes, limit: 1 << 20)
    if let text = String(validating: bytes, as: UTF8.self) {
        _ = Timestamp.parse(text); _ = Timestamp.parseDuration(text)
    }
    return 0
}
