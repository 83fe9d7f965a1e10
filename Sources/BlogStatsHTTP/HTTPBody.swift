/// A response body: bytes already in memory, or a stream pulled piece by piece (sent chunked).
public enum HTTPBody: Sendable {
    case bytes([UInt8])
    case stream(any HTTPBodyStream)
}
