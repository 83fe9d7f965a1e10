import Testing

@testable import BlogStatsCollector

/// The delivery state machine on its own: every decision, no socket, no file.
@Suite struct DeliveryTests {
    let old = SpoolEntry(capturedAt: 100, blog: "notes")
    let older = SpoolEntry(capturedAt: 40, blog: "notes")
    let delivered = PushOutcome.delivered(status: 200, answer: "{}")
    let down = PushOutcome.retryLater("connection refused")
    let refused = PushOutcome.rejected(status: 400, message: "HTTP 400: bad")

    /// Runs the machine, answering each push from `outcomes` in order.
    func actions(_ delivery: inout Delivery, _ outcomes: [PushOutcome]) -> [Delivery.Action] {
        var outcomes = outcomes[...]
        var actions: [Delivery.Action] = []
        while true {
            let action = delivery.next()
            actions.append(action)
            if case .send = action { delivery.record(outcomes.popFirst()!) }
            if action == .finished { return actions }
        }
    }

    @Test func replaysOldestFirstThenSendsTheFreshOnes() {
        var delivery = Delivery(spooled: [old, older], freshCount: 2, spoolLimit: 10)
        let actions = actions(&delivery, [delivered, delivered, delivered, delivered])
        #expect(
            actions == [
                .send(.spooled(older)), .discard(older), .send(.spooled(old)), .discard(old), .send(.fresh(0)),
                .send(.fresh(1)), .finished,
            ])
        #expect(delivery.spooledCount == 0)
        #expect(delivery.outage == nil)
    }

    @Test func anOutageDuringReplayStopsItAndSpoolsTheFreshOnes() {
        var delivery = Delivery(spooled: [older, old], freshCount: 2, spoolLimit: 10)
        let actions = actions(&delivery, [delivered, down])
        #expect(
            actions == [
                .send(.spooled(older)), .discard(older), .send(.spooled(old)), .spool(0), .spool(1), .finished,
            ])
        #expect(delivery.spooledCount == 3)
        #expect(delivery.outage == "connection refused")
    }

    @Test func anOutageOnAFreshSnapshotSpoolsItAndTheRestWithoutTrying() {
        var delivery = Delivery(spooled: [], freshCount: 3, spoolLimit: 10)
        let actions = actions(&delivery, [delivered, down])
        #expect(actions == [.send(.fresh(0)), .send(.fresh(1)), .spool(1), .spool(2), .finished])
    }

    @Test func aRejectedSnapshotIsSetAsideAndTheRestGoesOn() {
        var delivery = Delivery(spooled: [older, old], freshCount: 1, spoolLimit: 10)
        let actions = actions(&delivery, [refused, delivered, refused])
        #expect(
            actions == [
                .send(.spooled(older)), .reject(.spooled(older), "HTTP 400: bad"), .send(.spooled(old)), .discard(old),
                .send(.fresh(0)), .reject(.fresh(0), "HTTP 400: bad"), .finished,
            ])
        #expect(delivery.spooledCount == 0)
    }

    @Test func aFullSpoolOverflowsLoudlyInsteadOfDroppingSilently() {
        var delivery = Delivery(spooled: [older, old], freshCount: 2, spoolLimit: 3)
        let actions = actions(&delivery, [down])
        #expect(actions == [.send(.spooled(older)), .spool(0), .overflow(1), .finished])
        #expect(delivery.spooledCount == 3)
    }

    @Test func aFullSpoolThatDrainsMakesRoomAgain() {
        var delivery = Delivery(spooled: [older, old], freshCount: 1, spoolLimit: 2)
        let actions = actions(&delivery, [delivered, down])
        #expect(actions == [.send(.spooled(older)), .discard(older), .send(.spooled(old)), .spool(0), .finished])
    }
}

@Suite struct PushOutcomeTests {
    @Test func successIsDelivered() {
        #expect(
            PushOutcome.classify(status: 200, body: Array("{\"rows\":1}".utf8))
                == .delivered(status: 200, answer: "{\"rows\":1}"))
    }

    @Test(arguments: [408, 429, 500, 502, 503, 504])
    func busyOrBrokenReceiversAreRetriedLater(status: Int) {
        guard case .retryLater(let reason) = PushOutcome.classify(status: status, body: [], retryAfter: "5") else {
            Issue.record("\(status) should be retried")
            return
        }
        #expect(reason.contains("HTTP \(status)"))
        #expect(reason.contains("Retry-After: 5"))
    }

    @Test(arguments: [400, 401, 403, 404, 409, 411, 413, 415])
    func otherClientErrorsAreRejected(status: Int) {
        let body = Array(#"{"error":"view_count is not a number: \"12a\"","line":4,"column":3}"#.utf8)
        #expect(
            PushOutcome.classify(status: status, body: body)
                == .rejected(
                    status: status, message: "HTTP \(status): view_count is not a number: \"12a\" (line 4, column 3)"))
    }

    @Test func aBodyThatIsNotJSONIsShownAsText() {
        #expect(
            PushOutcome.classify(status: 404, body: Array("<h1>Not Found</h1>\n".utf8))
                == .rejected(status: 404, message: "HTTP 404: <h1>Not Found</h1>"))
    }

    @Test func endpointsGetStatsWhenTheyHaveNoPath() {
        #expect(Pusher.endpoint("http://127.0.0.1:8080") == "http://127.0.0.1:8080/stats")
        #expect(Pusher.endpoint("https://stats.example.org/") == "https://stats.example.org/stats")
        #expect(
            Pusher.endpoint("https://example.org/blogstats/api/v1/snapshots")
                == "https://example.org/blogstats/api/v1/snapshots")
        #expect(Pusher.endpoint("ftp://example.org/") == nil)
        #expect(Pusher.endpoint("127.0.0.1:8080") == nil)
        let pusher = Pusher(configuration: .init(endpoint: "http://h:1/stats?x=1"))
        #expect(pusher.url(blog: "notes") == "http://h:1/stats?x=1&blog=notes")
        #expect(pusher.url(blog: nil) == "http://h:1/stats?x=1")
    }
}
