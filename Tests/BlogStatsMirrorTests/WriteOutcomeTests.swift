import Testing

@testable import BlogStatsMirror

/// The sender's decisions as values: what an answer means, how long to wait.
@Suite struct WriteOutcomeTests {
    func classify(_ status: Int, _ body: String = "", headers: [String: String] = [:]) -> WriteOutcome {
        WriteOutcome.classify(status: status, headers: headers, body: Array(body.utf8), now: 1_000_000)
    }

    @Test func answers() {
        #expect(classify(204) == .written)
        #expect(classify(200) == .written)
        #expect(classify(413) == .tooLarge)
        #expect(
            classify(404, #"{"error":"database not found: \"blog\""}"#)
                == .misconfigured(status: 404, message: #"database not found: "blog""#))
        #expect(
            classify(401, #"{"error":"authorization failed"}"#)
                == .misconfigured(status: 401, message: "authorization failed"))
        #expect(
            classify(503, "", headers: ["retry-after": "17"]) == .retry(reason: "HTTP 503: HTTP 503", retryAfter: 17))
        #expect(
            classify(429, #"{"code":"too many requests","message":"slow down"}"#, headers: ["retry-after": "2"])
                == .retry(reason: "HTTP 429: slow down", retryAfter: 2))
        #expect(classify(500, "boom") == .retry(reason: "HTTP 500: boom", retryAfter: nil))
    }

    @Test func aRefusedLineIsNamed() {
        let body = #"{"error":"partial write: unable to parse 'blog_stats,id=a value=1x 5': invalid number dropped=0"}"#
        #expect(
            classify(400, body)
                == .rejected(
                    message: "partial write: unable to parse 'blog_stats,id=a value=1x 5': invalid number dropped=0",
                    line: "blog_stats,id=a value=1x 5"))
        let conflict =
            #"{"error":"partial write: field type conflict: input field \"value\" on measurement \"blog_stats\" is type integer, already exists as type float dropped=3"}"#
        guard case .rejected(let message, let line) = classify(400, conflict) else {
            Issue.record("not rejected")
            return
        }
        #expect(message.contains("field type conflict") && line == nil)
    }

    @Test func retryAfterDates() {
        // 1,000,000 s after the epoch is 1970-01-12 13:46:40 UTC.
        #expect(WriteOutcome.retryAfter("Mon, 12 Jan 1970 13:47:10 GMT", now: 1_000_000) == 30)
        #expect(WriteOutcome.retryAfter("Mon, 12 Jan 1970 13:40:00 GMT", now: 1_000_000) == 0)
        #expect(WriteOutcome.retryAfter("120", now: 0) == 120)
        #expect(WriteOutcome.retryAfter("soon", now: 0) == nil)
        #expect(WriteOutcome.retryAfter("-3", now: 0) == nil)
    }

    @Test func backoffDoublesToItsCapAndHonoursRetryAfter() {
        var backoff = Backoff(initial: 1, maximum: 20)
        #expect((0..<7).map { _ in backoff.failed() } == [1, 2, 4, 8, 16, 20, 20])
        #expect(backoff.failed(retryAfter: 45) == 45)
        #expect(backoff.failed(retryAfter: 100_000) == 3600)
        #expect(backoff.failures == 9)
        backoff.succeeded()
        #expect(backoff.failed() == 1)
    }
}
