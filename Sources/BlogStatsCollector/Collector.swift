import BlogStatsCore
import Glibc

/// One run of the collector: read the source, then deliver under the spool's lock — replay
/// what is spooled, push the fresh snapshots, spool what cannot be delivered now.
public final class Collector: Sendable {
    public struct Configuration: Sendable {
        public var source: SnapshotSource
        public var spool: Spool
        /// The most snapshots the spool may hold (about a week of one-minute snapshots of one blog).
        public var spoolLimit = 10_080
        /// Verbose lines: what was read, sent, spooled.
        public var log: @Sendable (String) -> Void = { _ in }
        /// Runs after the read, before anything is sent or spooled; false ends the run as failed
        /// with nothing sent or kept (it has said why). `blogstats push` waits here for libcurl,
        /// which it loads on another thread while the source is read.
        public var readyToDeliver: @Sendable () -> Bool = { true }

        public init(source: SnapshotSource, spool: Spool) {
            self.source = source
            self.spool = spool
        }
    }

    public let configuration: Configuration
    public let pusher: Pusher

    public init(configuration: Configuration, pusher: Pusher) {
        self.configuration = configuration
        self.pusher = pusher
    }

    private var spool: Spool { configuration.spool }
    private func log(_ line: String) { configuration.log(line) }

    public func run(capturedAt: Int64) -> RunReport {
        var report = RunReport()
        let read: SourceRead
        do throws(CollectorError) {
            read = try configuration.source.read(capturedAt: capturedAt)
        } catch {
            report.failures += 1
            report.problems.append(error.message)
            return report
        }
        log(read.summary)
        report.read = read
        guard configuration.readyToDeliver() else {
            report.failures += 1
            return report
        }
        deliver(read.snapshots, report: &report)
        return report
    }

    /// Delivers fresh snapshots (and the spool before them) under the spool's lock.
    public func deliver(_ fresh: [BlogSnapshot], report: inout RunReport) {
        do throws(CollectorError) {
            try spool.create()
            switch try SpoolLock.acquire(spool) {
            case .held(let pid):
                report.lockedOut = true
                let holder = pid.map { "(pid \($0)) " } ?? ""
                report.problems.append(
                    "another blogstats push \(holder)is delivering from \(spool.directory): this run does not send; its snapshot is spooled for a later run"
                )
                try keepForLater(fresh, report: &report)
            case .acquired(let lock):
                try withExtendedLifetime(lock) { () throws(CollectorError) in
                    try deliverLocked(fresh, report: &report)
                }
            }
        } catch {
            report.failures += 1
            report.problems.append(error.message)
        }
    }

    private func keepForLater(_ fresh: [BlogSnapshot], report: inout RunReport) throws(CollectorError) {
        var count = try spool.entries().count
        for snapshot in fresh {
            guard count < configuration.spoolLimit else {
                overflow(snapshot, count: count, report: &report)
                continue
            }
            try spool.write(snapshot)
            count += 1
            report.spooled += 1
            log("spooled \(describe(snapshot)) in \(spool.directory)")
        }
        report.waiting = count
    }

    private func deliverLocked(_ fresh: [BlogSnapshot], report: inout RunReport) throws(CollectorError) {
        let abandoned = spool.removeAbandonedTemporaryFiles()
        if abandoned > 0 { log("removed \(abandoned) temporary file(s) left by an interrupted run") }
        let entries = try spool.entries()
        if !entries.isEmpty { log("\(entries.count) spooled snapshot(s) to replay first, oldest \(entries[0])") }
        var delivery = Delivery(spooled: entries, freshCount: fresh.count, spoolLimit: configuration.spoolLimit)
        while true {
            let action = delivery.next()
            if action == .finished {
                report.waiting = delivery.spooledCount
                if let outage = delivery.outage {
                    report.problems.append(
                        "receiver unavailable (\(outage)): \(report.spooled) snapshot(s) spooled; \(delivery.spooledCount) waiting in \(spool.directory), replayed oldest first by the next run"
                    )
                }
                return
            }
            // A file that cannot be moved or removed must not stop the snapshots after it.
            do throws(CollectorError) {
                try perform(action, &delivery, fresh, report: &report)
            } catch {
                report.problems.append(error.message)
                if case .spool(let index) = action {
                    report.failures += 1
                    report.problems.append("snapshot \(entry(.fresh(index), fresh)) could not be spooled: it is lost")
                }
            }
        }
    }

    private func perform(
        _ action: Delivery.Action, _ delivery: inout Delivery, _ fresh: [BlogSnapshot], report: inout RunReport
    ) throws(CollectorError) {
        switch action {
        case .send(let item):
            delivery.record(send(item, fresh, report: &report))
        case .discard(let entry):
            report.replayed += 1
            // Left behind, it would be replayed again: harmless, the receiver answers "duplicate".
            try spool.remove(entry)
        case .reject(let item, let message):
            report.rejected += 1
            let entry = entry(item, fresh)
            report.problems.append(
                "snapshot \(entry) was rejected by the receiver: \(message) (kept as \(spool.rejectedPath(entry)))")
            let note =
                "rejected by \(pusher.url(blog: entry.blog)) on \(Timestamp.format(WallClock.seconds())): \(message)"
            switch item {
            case .spooled(let entry): try spool.reject(entry, note: note)
            case .fresh(let index): try spool.reject(fresh[index], note: note)
            }
        case .spool(let index):
            try spool.write(fresh[index])
            report.spooled += 1
            log("spooled \(describe(fresh[index])) in \(spool.directory)")
        case .overflow(let index):
            overflow(fresh[index], count: delivery.spooledCount, report: &report)
        case .finished:
            break
        }
    }

    private func send(_ item: Delivery.Item, _ fresh: [BlogSnapshot], report: inout RunReport) -> PushOutcome {
        let body: [UInt8]
        switch item {
        case .spooled(let entry):
            do throws(CollectorError) {
                body = try spool.read(entry)
            } catch {
                return .rejected(status: 0, message: error.message)
            }
        case .fresh(let index):
            body = fresh[index].gzip
        }
        let start = ContinuousClock.now
        let outcome = pusher.push(body, blog: entry(item, fresh).blog, capturedAt: entry(item, fresh).capturedAt)
        let took = SourceRead.milliseconds(milliseconds(from: start))
        let what: String
        switch item {
        case .spooled(let entry): what = "replayed \(entry) (\(body.count) bytes gzip)"
        case .fresh(let index): what = "sent \(describe(fresh[index]))"
        }
        switch outcome {
        case .delivered(let status, let answer):
            if case .fresh = item { report.delivered += 1 }
            log("\(what) in \(took) ms: \(status) \(answer)")
        case .retryLater(let reason):
            log("\(what): not delivered (\(reason))")
        case .rejected(_, let message):
            log("\(what): rejected (\(message))")
        }
        return outcome
    }

    private func overflow(_ snapshot: BlogSnapshot, count: Int, report: inout RunReport) {
        report.overflowed += 1
        report.problems.append(
            "spool full (\(count) snapshots in \(spool.directory), --spool-max \(configuration.spoolLimit)): snapshot \(SpoolEntry(capturedAt: snapshot.capturedAt, blog: snapshot.blog)) was NOT kept; fix the receiver, or raise --spool-max"
        )
    }

    private func entry(_ item: Delivery.Item, _ fresh: [BlogSnapshot]) -> SpoolEntry {
        switch item {
        case .spooled(let entry): entry
        case .fresh(let index): SpoolEntry(capturedAt: fresh[index].capturedAt, blog: fresh[index].blog)
        }
    }

    private func describe(_ snapshot: BlogSnapshot) -> String {
        "\(SpoolEntry(capturedAt: snapshot.capturedAt, blog: snapshot.blog)) (\(snapshot.rows) rows, \(snapshot.gzip.count) bytes gzip of \(snapshot.csvBytes) bytes CSV)"
    }
}

/// The wall clock in whole seconds since the epoch: capture times.
public enum WallClock {
    public static func seconds() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Int64(time.tv_sec)
    }
}
