import Foundation
import Synchronization

/// A one-line progress bar on stderr, redrawn at most ten times a second; nothing when disabled.
final class ProgressBar: Sendable {
    let enabled: Bool
    private let lastDraw = Mutex<Double>(0)

    init(enabled: Bool) {
        self.enabled = enabled
    }

    func show(_ share: Double, _ text: String) {
        guard enabled else { return }
        let now = Date().timeIntervalSince1970
        let due = lastDraw.withLock { last in
            guard now - last >= 0.1 else { return false }
            last = now
            return true
        }
        guard due else { return }
        let clamped = min(1, max(0, share))
        let width = 30
        let filled = Int(clamped * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        write("\r\u{1B}[K[\(bar)] \(Int(clamped * 100))% \(text)")
    }

    /// Removes the bar, so the summary line starts clean.
    func clear() {
        guard enabled else { return }
        write("\r\u{1B}[K")
    }

    private func write(_ text: String) {
        let bytes = Array(text.utf8)
        bytes.withUnsafeBytes { _ = Foundation.write(2, $0.baseAddress, $0.count) }
    }
}

/// How many times a signal arrived.
final class SignalCount: Sendable {
    private let count = Atomic<Int>(0)

    func next() -> Int { count.add(1, ordering: .relaxed).newValue }
}
