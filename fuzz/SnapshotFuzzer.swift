// libFuzzer entry point for the snapshot reader, gzip and timestamps (see scripts/fuzz.sh).
// Built with BlogStatsCore's sources into one module, so it reaches internal code too.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    for separator in [UInt8(ascii: ","), UInt8(ascii: "\t")] {
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
