import BlogStatsCore
import Foundation

/// What one answer from InfluxDB means for the points sent: the mirror's decisions, kept
/// free of sockets so they can be tested as plain values.
public enum WriteOutcome: Sendable, Equatable {
    /// 2xx: every point was written; the outbox entries may go.
    case written
    /// 400: a point InfluxDB will never take (unparsable, or a field type conflict). With
    /// 1.x's partial writes the other points were written. `line` is the one InfluxDB named.
    case rejected(message: String, line: String?)
    /// 413: the body is too large; send fewer lines per request.
    case tooLarge
    /// 401, 403, 404 (e.g. database not found): the operator must fix the configuration;
    /// retried with backoff, never parked.
    case misconfigured(status: Int, message: String)
    /// Anything else (network error, 429, 5xx): retry later, after `retryAfter` when given.
    case retry(reason: String, retryAfter: Double?)

    /// Classifies an HTTP answer; `now` (seconds since the epoch) resolves a Retry-After date.
    public static func classify(status: Int, headers: [String: String], body: [UInt8], now: Int64) -> WriteOutcome {
        let message = errorMessage(headers: headers, body: body, status: status)
        switch status {
        case 200..<300: return .written
        case 400: return .rejected(message: message, line: offendingLine(in: message))
        case 413: return .tooLarge
        case 401, 403, 404: return .misconfigured(status: status, message: message)
        default:
            return .retry(
                reason: "HTTP \(status): \(message)",
                retryAfter: headers["retry-after"].flatMap { retryAfter($0, now: now) })
        }
    }

    /// InfluxDB's `{"error":"…"}` (1.x), `{"code":…,"message":"…"}` (2.x) or the
    /// `X-Influxdb-Error` header; otherwise the start of the body.
    static func errorMessage(headers: [String: String], body: [UInt8], status: Int) -> String {
        if let header = headers["x-influxdb-error"], !header.isEmpty { return header }
        let text = String(decoding: body.prefix(4096), as: UTF8.self)
        for key in ["\"error\":\"", "\"message\":\""] {
            guard let start = text.range(of: key) else { continue }
            var value = ""
            var escaped = false
            for character in text[start.upperBound...] {
                if escaped {
                    value.append(character == "n" ? "\n" : character)
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else if character == "\"" {
                    break
                } else {
                    value.append(character)
                }
            }
            return value
        }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? "HTTP \(status)" : String(trimmed.prefix(300))
    }

    /// The line in `unable to parse '<line>': reason`, if InfluxDB named one.
    static func offendingLine(in message: String) -> String? {
        guard let start = message.range(of: "unable to parse '"),
            let end = message.range(of: "': ", options: .backwards, range: start.upperBound..<message.endIndex)
        else { return nil }
        return String(message[start.upperBound..<end.lowerBound])
    }

    /// `Retry-After`: delay-seconds or an HTTP date (`Sun, 06 Nov 1994 08:49:37 GMT`).
    public static func retryAfter(_ value: String, now: Int64) -> Double? {
        let text = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Int64(text) { return seconds >= 0 ? Double(seconds) : nil }
        let parts = text.split(separator: " ")
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        guard parts.count == 6, parts[5] == "GMT", let day = Int(parts[1]),
            let month = months.firstIndex(of: String(parts[2])), let year = Int(parts[3])
        else { return nil }
        let clock = parts[4].split(separator: ":").compactMap { Int64($0) }
        guard clock.count == 3 else { return nil }
        let days = Timestamp.daysFromCivil(year: year, month: month + 1, day: day)
        let time = Int64(days) * 86_400 + clock[0] * 3600 + clock[1] * 60 + clock[2]
        return Double(max(0, time - now))
    }
}
