import Dispatch
import Synchronization

/// The outcomes of the mirror's requests for one plan as they come in (handled in order,
/// whatever order they end in), and whether to start more.
final class RequestWindow: Sendable {
    private let slots: [Slot]
    private let halted = Mutex(false)

    final class Slot: Sendable {
        let done = DispatchSemaphore(value: 0)
        /// nil: not sent (the window was finished before its turn).
        let outcome = Mutex<WriteOutcome?>(nil)
    }

    init(_ count: Int) { slots = (0..<count).map { _ in Slot() } }

    var isHalted: Bool { halted.withLock { $0 } }

    func set(_ number: Int, _ outcome: WriteOutcome?) {
        slots[number].outcome.withLock { $0 = outcome }
        slots[number].done.signal()
    }

    /// Waits for request `number`'s outcome (nil if it was not sent).
    func outcome(_ number: Int) -> WriteOutcome? {
        slots[number].done.wait()
        slots[number].done.signal()  // answered for good: later calls return at once
        return slots[number].outcome.withLock { $0 }
    }

    /// Starts no more requests and waits for those in flight to end.
    func finish() {
        halted.withLock { $0 = true }
        for number in slots.indices { _ = outcome(number) }
    }
}
