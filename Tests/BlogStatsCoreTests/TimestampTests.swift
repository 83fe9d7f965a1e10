import Foundation
import Testing

@testable import BlogStatsCore

@Suite("Timestamp")
struct TimestampTests {
    @Test(
        "valid timestamps",
        arguments: [
            ("2026-12-03T16:20:00Z", 1_796_314_800),
            ("2026-12-03t16:20:00z", 1_796_314_800),
            ("2026-12-03T17:20:00+01:00", 1_796_314_800),
            ("2026-12-03T10:50:00-05:30", 1_796_314_800),
            ("2026-12-03T16:20:00+00:00", 1_796_314_800),
            ("2026-12-03T16:20:00-00:00", 1_796_314_800),
            ("2026-12-04T06:20:00+14:00", 1_796_314_800),
            ("2026-12-03T16:20:00.123Z", 1_796_314_800),
            ("2026-12-03T16:20:00.999999999Z", 1_796_314_800),
            ("2026-12-03T17:20:00.5+01:00", 1_796_314_800),
            ("2026-12-03 16:20:00", 1_796_314_800),
            ("2026-12-03 16:20:00.250", 1_796_314_800),
            ("2026-12-03 16:20:00Z", 1_796_314_800),
            ("2026-12-03T22:50:00+06:30", 1_796_314_800),
            ("1970-01-01T00:00:00Z", 0),
            ("1970-01-01T01:00:00+01:00", 0),
            ("1969-12-31T23:59:59Z", -1),
            ("1900-01-01T00:00:00Z", -2_208_988_800),
            ("0001-01-01T00:00:00Z", -62_135_596_800),
            ("9999-12-31T23:59:59Z", 253_402_300_799),
            ("2000-02-29T00:00:00Z", 951_782_400),
            ("2024-02-29T12:00:00Z", 1_709_208_000),
            ("2100-01-01T00:00:00Z", 4_102_444_800),
            ("2100-03-01T00:00:00Z", 4_107_542_400),
            // A leap second is read as the second before it.
            ("2016-12-31T23:59:60Z", 1_483_228_799),
        ] as [(String, Int64)])
    func parse(_ text: String, _ seconds: Int64) {
        #expect(Timestamp.parse(text) == seconds)
    }

    @Test(
        "invalid timestamps",
        arguments: [
            "", "garbage", "2026-12-03", "2026-12-03T16:20", "2026-12-03T16:20:00",  // RFC 3339 needs a zone
            "2026-12-03T16:20:00.123", "2025-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2100-02-29T00:00:00Z",
            "2026-02-30T00:00:00Z", "2026-04-31T00:00:00Z", "2026-13-01T00:00:00Z", "2026-00-10T00:00:00Z",
            "2026-12-00T00:00:00Z", "2026-12-32T00:00:00Z", "2026-12-03T24:00:00Z", "2026-12-03T16:60:00Z",
            "2026-12-03T16:20:61Z", "2026-12-03T16:20:00+0100", "2026-12-03T16:20:00+01", "2026-12-03T16:20:00+1:00",
            "2026-12-03T16:20:00+24:00", "2026-12-03T16:20:00+01:60", "2026-12-03T16:20:00.Z",
            "2026-12-03T16:20:00.1.2Z",
            "2026-12-03T16:20:00Z ", " 2026-12-03T16:20:00Z", "2026-12-03T16:20:00ZZ", "2026-12-03T16:20:00+01:00Z",
            "2026-12-03X16:20:00Z", "2026/12/03T16:20:00Z", "2026-12-03T16.20.00Z", "2026-1-03T16:20:00Z",
            "26-12-03T16:20:00Z", "+2026-12-03T16:20:00Z", "2026-12-03T16:20:00UTC", "2026-12-03T16:20:00GMT+1",
            "２０２６-12-03T16:20:00Z", "2026-12-03T16:20:0aZ", "-001-12-03T16:20:00Z", "2026-12-03T16:20:00 +01:00",
            "1796314800",
        ])
    func rejects(_ text: String) {
        #expect(Timestamp.parse(text) == nil)
    }

    @Test(
        "known formats",
        arguments: [
            (0, "1970-01-01T00:00:00Z"),
            (-1, "1969-12-31T23:59:59Z"),
            (-86_400, "1969-12-31T00:00:00Z"),
            (-86_401, "1969-12-30T23:59:59Z"),
            (1_796_314_800, "2026-12-03T16:20:00Z"),
            (951_782_400, "2000-02-29T00:00:00Z"),
            (4_102_444_800, "2100-01-01T00:00:00Z"),
            (4_107_542_399, "2100-02-28T23:59:59Z"),
            (4_107_542_400, "2100-03-01T00:00:00Z"),
            (-2_208_988_800, "1900-01-01T00:00:00Z"),
            (-62_135_596_800, "0001-01-01T00:00:00Z"),
            (253_402_300_799, "9999-12-31T23:59:59Z"),
        ] as [(Int64, String)])
    func format(_ seconds: Int64, _ text: String) {
        #expect(Timestamp.format(seconds) == text)
        #expect(Timestamp.parse(text) == seconds)
    }

    @Test func formatRoundTripsAndAgreesWithFoundation() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        // From 1601 (after the Julian switch that Foundation's calendar follows) to 2200, in odd steps.
        var count = 0
        for seconds in stride(from: Int64(-11_600_000_000), through: 7_258_118_400, by: 1_000_003 * 7) {
            count += 1
            let text = Timestamp.format(seconds)
            #expect(Timestamp.parse(text) == seconds, "\(seconds) → \(text)")
            let parts = calendar.dateComponents(
                [.year, .month, .day, .hour, .minute, .second], from: Date(timeIntervalSince1970: TimeInterval(seconds))
            )
            let expected = String(
                format: "%04d-%02d-%02dT%02d:%02d:%02dZ", parts.year!, parts.month!, parts.day!, parts.hour!,
                parts.minute!,
                parts.second!)
            #expect(text == expected, "\(seconds)")
        }
        #expect(count > 2500)
    }

    @Test func everyDayAroundTheEpochAndLeapYears() {
        // Consecutive midnights must format to consecutive, valid dates.
        for start: Int64 in [-2 * 366 * 86_400, 946_684_800 - 366 * 86_400, 4_102_444_800 - 366 * 86_400] {
            for day in 0..<(4 * 366) {
                let seconds = start + Int64(day) * 86_400
                let text = Timestamp.format(seconds)
                #expect(text.hasSuffix("T00:00:00Z"))
                #expect(Timestamp.parse(text) == seconds)
                #expect(Timestamp.parse(String(text.dropLast()).replacingOccurrences(of: "T", with: " ")) == seconds)
            }
        }
    }

    @Test func fractionsAreDroppedNotRounded() {
        #expect(Timestamp.parse("1970-01-01T00:00:00.999Z") == 0)
        #expect(Timestamp.parse("1969-12-31T23:59:59.999Z") == -1)
    }

    @Test(
        "durations",
        arguments: [
            ("60s", 60), ("1s", 1), ("1m", 60), ("15m", 900), ("1h", 3600), ("24h", 86_400), ("1d", 86_400),
            ("7d", 604_800),
            ("90d", 7_776_000), ("1w", 604_800), ("2w", 1_209_600), ("1y", 31_536_000), ("3y", 94_608_000), ("45", 45),
            ("0", 0), ("0s", 0), ("1000y", 31_536_000_000), ("31536000000", 31_536_000_000),
        ] as [(String, Int64)])
    func parseDuration(_ text: String, _ seconds: Int64) {
        #expect(Timestamp.parseDuration(text) == seconds)
    }

    @Test(
        "invalid durations",
        arguments: [
            "", "s", "h", "-1h", "-5", "1.5h", "1H", "1D", "1 h", " 1h", "1h ", "1hh", "1x", "1ms", "1h30m", "abc",
            "١h",
            "9223372036854775808", "292471208678y", "9223372036854775807m", "99999999999999999999d",
            // Over a thousand years: would overflow once added to a time or turned into milliseconds.
            "1001y", "31536000001", "9223372036854775807", "+5m",
        ])
    func rejectsDuration(_ text: String) {
        #expect(Timestamp.parseDuration(text) == nil)
    }
}
