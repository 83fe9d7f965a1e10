/// Where snapshots come from: WriteFreely's database, a CSV/TSV file or stdin, or a query.
public enum SnapshotSource: Sendable {
    case writeFreely(WriteFreelySource)
    case delimited(DelimitedSource)
    case query(SQLQuerySource)

    public func read(capturedAt: Int64) throws(CollectorError) -> SourceRead {
        switch self {
        case .writeFreely(let source): try source.read(capturedAt: capturedAt)
        case .delimited(let source): try source.read(capturedAt: capturedAt)
        case .query(let source): try source.read(capturedAt: capturedAt)
        }
    }
}
