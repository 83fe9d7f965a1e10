/// Decides what one run does with its snapshots, and in which order, without doing any of it:
/// replay the spool oldest first, then push the fresh snapshots; at the first push that may
/// succeed later, stop sending and spool what is left of the fresh ones (within the limit).
///
/// The caller performs each `Action` and reports every push's outcome with `record(_:)`.
public struct Delivery: Sendable {
    public enum Item: Sendable, Equatable {
        case spooled(SpoolEntry)
        /// The index of a fresh snapshot.
        case fresh(Int)
    }

    public enum Action: Sendable, Equatable {
        /// Push this; then call `record(_:)`.
        case send(Item)
        /// Delivered from the spool: remove its file.
        case discard(SpoolEntry)
        /// Refused by the receiver: keep it in `rejected/` with the message.
        case reject(Item, String)
        /// Not delivered now: keep this fresh snapshot in the spool.
        case spool(Int)
        /// Not delivered now, and the spool is full: this fresh snapshot cannot be kept.
        case overflow(Int)
        case finished
    }

    private var queue: [Item]
    private var position = 0
    private var awaiting: Item? = nil
    private var pending: [Action] = []
    /// Why the receiver is unavailable, once a push said so.
    public private(set) var outage: String? = nil
    /// Snapshots in the spool, as it will be after the actions so far.
    public private(set) var spooledCount: Int
    public let spoolLimit: Int

    public init(spooled: [SpoolEntry], freshCount: Int, spoolLimit: Int) {
        queue = spooled.sorted().map(Item.spooled) + (0..<freshCount).map(Item.fresh)
        spooledCount = spooled.count
        self.spoolLimit = spoolLimit
    }

    public mutating func next() -> Action {
        precondition(awaiting == nil, "record the outcome of the last push before asking for the next action")
        if !pending.isEmpty { return pending.removeFirst() }
        while position < queue.count {
            let item = queue[position]
            position += 1
            guard outage != nil else {
                awaiting = item
                return .send(item)
            }
            // The receiver is unavailable: spooled snapshots stay where they are, in order.
            if case .fresh(let index) = item { return keep(index) }
        }
        return .finished
    }

    public mutating func record(_ outcome: PushOutcome) {
        guard let item = awaiting else { preconditionFailure("no push is waiting for its outcome") }
        awaiting = nil
        switch (outcome, item) {
        case (.delivered, .spooled(let entry)):
            spooledCount -= 1
            pending.append(.discard(entry))
        case (.delivered, .fresh):
            break
        case (.rejected(_, let message), .spooled):
            spooledCount -= 1
            pending.append(.reject(item, message))
        case (.rejected(_, let message), .fresh):
            pending.append(.reject(item, message))
        case (.retryLater(let reason), .spooled):
            outage = reason
        case (.retryLater(let reason), .fresh(let index)):
            outage = reason
            pending.append(keep(index))
        }
    }

    private mutating func keep(_ index: Int) -> Action {
        guard spooledCount < spoolLimit else { return .overflow(index) }
        spooledCount += 1
        return .spool(index)
    }
}
