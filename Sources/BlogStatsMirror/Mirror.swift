import BlogStatsCore
public import BlogStatsStore
import Dispatch
import Foundation
import Synchronization

/// The InfluxDB mirror's sender: one thread that drains the store's outbox in batches, in
/// capture-time order (the requests themselves run on pool threads, a few at once, while it
/// reads the next snapshots), and deletes an entry only once InfluxDB answered 2xx for all its
/// points. Network errors, 429 and 5xx are retried with backoff (honouring Retry-After);
/// 401/403/404 are logged and retried (the operator fixes the configuration); a 400 parks the
/// snapshot it came from. Ingestion never waits for it: it reads through its own connection
/// and takes the store's write lock only to delete or park delivered entries.
public final class Mirror: Sendable {
    public let configuration: MirrorConfiguration
    private let store: SQLiteStore
    private let log: @Sendable (String) -> Void
    private let writer: InfluxWriter
    private let state: Mutex<State>
    private let wake = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)

    struct State {
        var started = false
        var stopping = false
        var lastError: String?
        var failures = 0
        var lastDelivery: Int64?
        var pointsWritten: Int64 = 0
    }

    private let busy: @Sendable () -> Bool

    /// - Parameter busy: true while a push is being stored; new writes wait for it (at most
    ///   a few seconds), so the push does not share the machine's cores with InfluxDB.
    public init(
        configuration: MirrorConfiguration, store: SQLiteStore, log: @escaping @Sendable (String) -> Void,
        busy: @escaping @Sendable () -> Bool = { false }
    ) {
        self.configuration = configuration
        self.store = store
        self.log = log
        self.busy = busy
        writer = InfluxWriter(
            url: configuration.url, timeout: configuration.timeout)
        state = Mutex(State())
    }

    /// Starts the sender thread.
    public func start() {
        state.withLock { $0.started = true }
        let thread = Thread { [self] in
            run()
            finished.signal()
        }
        thread.name = "blogstats-influx"
        thread.start()
    }

    /// Stops the sender: a request in flight is cancelled (its points stay in the outbox and
    /// are sent again next time). Waits at most `timeout` seconds.
    public func stop(timeout: Double = 5) {
        let started = state.withLock { state in
            state.stopping = true
            return state.started
        }
        guard started else { return }
        wake.signal()
        writer.cancel()
        _ = finished.wait(timeout: .now() + timeout)
    }

    /// The outbox depth and the sender's state.
    public func status() -> MirrorStatus {
        let depth = try? store.outboxDepth()
        return state.withLock { state in
            MirrorStatus(
                target: configuration.target, mode: configuration.mode, depth: depth, lastError: state.lastError,
                failures: state.failures, lastDelivery: state.lastDelivery, pointsWritten: state.pointsWritten)
        }
    }

    private var stopping: Bool { state.withLock { $0.stopping } }

    /// Sleeps, waking early on stop.
    private func pause(_ seconds: Double) {
        guard seconds > 0, !stopping else { return }
        _ = wake.wait(timeout: .now() + seconds)
    }

    private func run() {
        let reader: OutboxReader
        do {
            reader = try OutboxReader(path: store.path) { blog, id, slug, title in
                LineProtocol.prefix(blog: MirrorConfiguration.blogTag(blog), id: id, slug: slug, title: title)
            }
        } catch {
            log("influx: cannot open the outbox: \(error); the mirror is off until restart")
            return
        }
        defer { reader.close() }
        log("influx: mirroring to \(configuration.target) (mode \(configuration.mode.rawValue))")
        var backoff = configuration.backoff
        var maxLines = configuration.batchLines
        // Read and encoded while the previous points were being sent (the store is read while
        // InfluxDB parses): the snapshots after those in flight.
        var next: Work?
        // At start and after a failed delivery, InfluxDB is asked with a ping (a few bytes)
        // before the backlog is read and encoded, so an outage costs ingestion nothing.
        var unconfirmed = true
        while !stopping {
            if unconfirmed {
                do throws(InfluxWriter.TransportError) {
                    try writer.ping()
                    unconfirmed = false
                } catch {
                    pause(
                        failure(
                            .retry(reason: error.description, retryAfter: nil), backoff: &backoff, maxLines: &maxLines))
                    continue
                }
            }
            let work: Work
            if let next, !next.entries.isEmpty {
                work = next
            } else {
                giveWayToPushes()
                do {
                    work = try reader.reading { try build(reader: reader, maxLines: maxLines, skipping: []) }
                } catch {
                    next = nil
                    log("influx: cannot read the outbox: \(error)")
                    reader.forget()
                    pause(5)
                    continue
                }
            }
            next = nil
            guard !work.entries.isEmpty else {
                pause(configuration.pollInterval)
                continue
            }
            let delivery = Delivery()
            let (startBackoff, startLines) = (backoff, maxLines)
            let group = DispatchGroup()
            DispatchQueue.global().async(group: group) { [self] in
                var backoff = startBackoff
                var maxLines = startLines
                let delay = deliver(entries: work.entries, plan: work.plan, backoff: &backoff, maxLines: &maxLines)
                delivery.result.withLock { $0 = (delay, backoff, maxLines) }
            }
            giveWayToPushes()
            do {
                next = try reader.reading { try build(reader: reader, maxLines: maxLines, skipping: Set(work.entries)) }
            } catch {
                // Read again once these are delivered (and say why then, if it lasts).
                reader.forget()
            }
            group.wait()
            let (delay, after, lines) = delivery.result.withLock { $0! }
            backoff = after
            maxLines = lines
            if let delay {
                // The reader's kept state is past what was delivered: start afresh.
                next = nil
                reader.forget()
                unconfirmed = delay > 0
                pause(delay)
            }
        }
    }

    /// Snapshots read from the outbox and their points, ready to send.
    struct Work: Sendable {
        var entries: [OutboxEntry]
        var plan: BatchPlan
    }

    /// What a delivery run on another thread hands back.
    private final class Delivery: Sendable {
        let result = Mutex<(delay: Double?, backoff: Backoff, maxLines: Int)?>(nil)
    }

    /// Reads pending snapshots (but those in `skipping`, still in flight) and encodes their
    /// points, up to about two batches' worth (always at least one snapshot, however large).
    private func build(reader: OutboxReader, maxLines: Int, skipping: Set<OutboxEntry>) throws -> Work {
        var plan = BatchPlan(maxLines: maxLines)
        var taken: [OutboxEntry] = []
        for entry in try reader.pending(limit: 1000 + skipping.count) where !skipping.contains(entry) {
            let posts = try reader.posts(of: entry, changedOnly: configuration.mode == .changed)
            plan.add(posts, time: entry.capturedAt)
            taken.append(entry)
            if plan.totalLines >= 2 * maxLines { break }
        }
        return Work(entries: taken, plan: plan)
    }

    /// Sends the batches in order. Returns nil when all went (or were parked), else how long
    /// to wait before reading the outbox again.
    private func deliver(entries: [OutboxEntry], plan: BatchPlan, backoff: inout Backoff, maxLines: inout Int)
        -> Double?
    {
        var parked: Set<Int> = []
        // Snapshots without points (changed mode, nothing changed) are done at once.
        var done = entries.indices.filter { plan.lastBatch[$0] == nil }
        // Up to `requestsInFlight` requests at once (InfluxDB parses each on its own core), the
        // next one starting as soon as one ends; their answers are handled in order, so an entry
        // goes only when all its batches did.
        let window = RequestWindow(plan.batches.count)
        defer { window.finish() }
        startSending(plan.batches, window: window)
        for (number, batch) in plan.batches.enumerated() {
            guard !stopping, let outcome = window.outcome(number) else { return 0 }
            switch outcome {
            case .written:
                break
            case .rejected(let message, let line):
                // Find the snapshot(s) InfluxDB refuses: each alone, then park those refused.
                let single = batch.entries.count == 1
                for part in batch.parts where !parked.contains(part.entry) {
                    let body = Array(batch.body[part.bytes])
                    let outcome = single ? .rejected(message: message, line: line) : send(body, lines: part.lines)
                    switch outcome {
                    case .written: continue
                    case .rejected(let message, let line):
                        park(entries[part.entry], message: message, line: line ?? Self.firstLine(body))
                        parked.insert(part.entry)
                    default:
                        return failure(outcome, backoff: &backoff, maxLines: &maxLines)
                    }
                }
            case let outcome:
                return failure(outcome, backoff: &backoff, maxLines: &maxLines)
            }
            recovered(&backoff)
            state.withLock { state in
                state.pointsWritten += Int64(batch.lines)
                state.lastDelivery = Int64(Date().timeIntervalSince1970)
            }
            done += batch.entries.filter { plan.lastBatch[$0] == number && !parked.contains($0) }
            guard !done.isEmpty else { continue }
            do {
                try store.removeFromOutbox(done.map { entries[$0] })
                done = []
            } catch {
                log("influx: cannot update the outbox: \(error)")
                return 1
            }
        }
        if !done.isEmpty {
            do {
                try store.removeFromOutbox(done.map { entries[$0] })
            } catch {
                log("influx: cannot update the outbox: \(error)")
                return 1
            }
        }
        return nil
    }

    /// Waits while a push is being stored (at most 5 s, so a stream of pushes cannot starve
    /// the mirror).
    private func giveWayToPushes() {
        let deadline = DispatchTime.now() + 5
        while busy() && !stopping && DispatchTime.now() < deadline { usleep(2000) }
    }

    /// Sends the batches, at most `requestsInFlight` at once and in order of starting, filling
    /// `window` as their answers come.
    private func startSending(_ batches: [BatchPlan.Batch], window: RequestWindow) {
        let room = DispatchSemaphore(value: max(1, configuration.requestsInFlight))
        DispatchQueue.global().async { [self] in
            for (number, batch) in batches.enumerated() {
                room.wait()
                giveWayToPushes()
                guard !window.isHalted, !stopping else {
                    room.signal()
                    for rest in number..<batches.count { window.set(rest, nil) }
                    return
                }
                DispatchQueue.global().async { [self] in
                    let outcome = send(batch.body, lines: batch.lines)
                    window.set(number, outcome)
                    room.signal()
                }
            }
        }
    }

    private func send(_ body: [UInt8], lines: Int) -> WriteOutcome {
        // stop() cancels the requests in flight; one about to start is not begun.
        guard !stopping else { return .retry(reason: "stopping", retryAfter: nil) }
        let (path, query) = configuration.write
        var headers = [("Content-Type", "text/plain; charset=utf-8"), ("User-Agent", "blogstats")]
        if let authorization = configuration.authorization { headers.append(("Authorization", authorization)) }
        var payload = body
        if configuration.gzip {
            payload = Gzip.deflate(body, level: 1)
            headers.append(("Content-Encoding", "gzip"))
        }
        do {
            let answer = try writer.post(path: path, query: query, headers: headers, body: payload)
            return WriteOutcome.classify(
                status: answer.status, headers: answer.headers, body: answer.body,
                now: Int64(Date().timeIntervalSince1970))
        } catch {
            return .retry(reason: error.description, retryAfter: nil)
        }
    }

    private func failure(_ outcome: WriteOutcome, backoff: inout Backoff, maxLines: inout Int) -> Double {
        let message: String
        let delay: Double
        switch outcome {
        case .tooLarge:
            maxLines = max(100, maxLines / 2)
            log("influx: InfluxDB says the request is too large (413); sending \(maxLines) lines per request")
            return 0
        case .misconfigured(let status, let text):
            delay = backoff.failed()
            let hint =
                status == 404 ? " (does the database or bucket exist?)" : " (check the credentials and permissions)"
            message = "InfluxDB refused the write with HTTP \(status): \(text)\(hint)"
        case .retry(let reason, let retryAfter):
            delay = backoff.failed(retryAfter: retryAfter)
            message = "cannot write to \(configuration.url): \(reason)"
        case .written, .rejected:
            return 0
        }
        // A request cancelled by stop() is no failure worth a log line.
        guard !stopping else { return 0 }
        let failures = backoff.failures
        let previous = state.withLock { state in
            defer {
                state.lastError = message
                state.failures = failures
            }
            return state.lastError
        }
        // The first failure, a new reason, and then ever more rarely while it lasts.
        if previous != message || failures & (failures - 1) == 0 {
            let waiting = (try? store.outboxDepth()).map { ", \($0.pendingSnapshots) snapshots waiting" } ?? ""
            log("influx: \(message); retry \(failures) in \(Self.seconds(delay))\(waiting)")
        }
        return delay
    }

    private func recovered(_ backoff: inout Backoff) {
        guard backoff.failures > 0 else { return }
        log("influx: writing again after \(backoff.failures) failed attempts")
        backoff.succeeded()
        state.withLock { state in
            state.lastError = nil
            state.failures = 0
        }
    }

    private func park(_ entry: OutboxEntry, message: String, line: String) {
        let reason = "HTTP 400: \(message); line: \(line)"
        log(
            "influx: InfluxDB refused points of blog \(entry.blog) at \(Timestamp.format(entry.capturedAt)) for good; parked: \(reason)"
        )
        do {
            try store.park(entry, reason: reason)
        } catch {
            log("influx: cannot park: \(error)")
        }
    }

    private static func firstLine(_ body: [UInt8]) -> String {
        String(decoding: body.prefix { $0 != UInt8(ascii: "\n") }, as: UTF8.self)
    }

    private static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : String(format: "%.1f s", value)
    }
}
