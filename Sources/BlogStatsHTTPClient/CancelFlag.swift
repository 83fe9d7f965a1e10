import Synchronization

/// Set by `HTTPClient.cancelAll()` from any thread; read by libcurl's progress callback.
final class CancelFlag: Sendable {
    private let value = Atomic<Bool>(false)

    var isSet: Bool { value.load(ordering: .relaxed) }

    func set() { value.store(true, ordering: .relaxed) }
}
