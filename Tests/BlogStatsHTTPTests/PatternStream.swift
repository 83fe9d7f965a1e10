import BlogStatsHTTP
import Foundation
import Synchronization

/// A stream handing out a deterministic pattern (byte i is i % 251) in irregular pieces,
/// including empty ones, to exercise the reassembly in the server's pull callback.
final class PatternStream: HTTPBodyStream {
    static let pieceSizes = [1, 100_000, 0, 70_001, 3, 65_536, 200_000]
    private let state: Mutex<(produced: Int, piece: Int)>
    let total: Int

    init(total: Int) {
        self.total = total
        state = Mutex((0, 0))
    }

    func next() -> [UInt8]? {
        state.withLock { state in
            guard state.produced < total else { return nil }
            let size = min(Self.pieceSizes[state.piece % Self.pieceSizes.count], total - state.produced)
            state.piece += 1
            let start = state.produced
            state.produced += size
            return (start..<(start + size)).map { UInt8($0 % 251) }
        }
    }

    static func expected(_ total: Int) -> Data {
        Data((0..<total).map { UInt8($0 % 251) })
    }
}
