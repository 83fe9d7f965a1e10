import Foundation

/// What became of one push: the three ways the delivery state machine branches.
public enum PushOutcome: Sendable, Equatable {
    /// Stored by the receiver (or already stored: a replay answered `"duplicate": true`).
    case delivered(status: Int, answer: String)
    /// Network error, timeout, 408, 429 or 5xx: keep the snapshot and try again later.
    case retryLater(String)
    /// Any other answer (400, 401, 403, 409, 413, 415, …): sending it again cannot help.
    case rejected(status: Int, message: String)

    /// The decision for an HTTP answer.
    public static func classify(status: Int, body: [UInt8], retryAfter: String? = nil) -> PushOutcome {
        switch status {
        case 200..<300:
            return .delivered(status: status, answer: String(decoding: body.prefix(2000), as: UTF8.self))
        case 408, 429, 500..<600:
            var reason = "HTTP \(status): \(message(from: body))"
            if let retryAfter { reason += " (Retry-After: \(retryAfter))" }
            return .retryLater(reason)
        default:
            return .rejected(status: status, message: "HTTP \(status): \(message(from: body))")
        }
    }

    /// `view_count is not a number: "12a" (line 4, column 3)` from the receiver's JSON error,
    /// or the start of the body when it is not one.
    static func message(from body: [UInt8]) -> String {
        struct Answer: Decodable {
            var error: String
            var line: Int?
            var column: Int?
        }
        if let answer = try? JSONDecoder().decode(Answer.self, from: Data(body)) {
            var text = answer.error
            if let line = answer.line {
                text += " (line \(line)" + (answer.column.map { ", column \($0)" } ?? "") + ")"
            }
            return text
        }
        let text = String(decoding: body.prefix(300), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? "(no message)" : text
    }
}
