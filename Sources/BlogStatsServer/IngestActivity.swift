import Synchronization

/// How many pushes are being handled right now: the InfluxDB mirror holds back new writes
/// meanwhile, so a push on a small machine does not share its cores with InfluxDB parsing.
final class IngestActivity: Sendable {
    private let running = Atomic<Int>(0)

    func begin() { running.add(1, ordering: .relaxed) }
    func end() { running.subtract(1, ordering: .relaxed) }
    var isBusy: Bool { running.load(ordering: .relaxed) > 0 }
}
