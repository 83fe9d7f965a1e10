import Testing

@testable import BlogStatsCore

@Suite("ExpositionFormat")
struct ExpositionFormatTests {
    @Test(
        "Accept negotiation",
        arguments: [
            (nil, ExpositionFormat.prometheusText),
            ("", .prometheusText),
            ("*/*", .prometheusText),
            ("text/plain", .prometheusText),
            ("text/plain;version=0.0.4", .prometheusText),
            ("application/json", .prometheusText),
            ("application/openmetrics-text", .openMetrics),
            ("Application/OpenMetrics-Text; Version=1.0.0", .openMetrics),
            ("application/openmetrics-text; version=\"1.0.0\"", .openMetrics),
            ("application/openmetrics-text;version=0.0.1", .openMetrics),
            ("application/openmetrics-text;version=2.0.0", .prometheusText),
            ("application/openmetrics-text;q=0", .prometheusText),
            ("application/openmetrics-text;q=0.3, text/plain;q=0.5", .prometheusText),
            ("text/plain;q=0.5, application/openmetrics-text;q=0.3", .prometheusText),
            ("application/openmetrics-text;q=0.5, text/plain;q=0.5", .openMetrics),
            ("text/plain, application/openmetrics-text", .openMetrics),
            ("text/plain;q=0, */*", .prometheusText),
            ("application/*", .prometheusText),
            ("application/openmetrics-text;q=abc, text/plain;q=0.1", .prometheusText),
            ("garbage, ;;, /, text/", .prometheusText),
            // What Prometheus 2.42 sends.
            (
                "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
                    + "text/plain;version=0.0.4;q=0.5,*/*;q=0.1", .openMetrics
            ),
            // What Prometheus sends with OpenMetrics turned off.
            ("text/plain;version=0.0.4;q=1,*/*;q=0.1", .prometheusText),
            // The most specific range counts: version 1.0.0 refused, any other version welcome.
            ("application/openmetrics-text;version=1.0.0;q=0, application/openmetrics-text", .prometheusText),
        ] as [(String?, ExpositionFormat)])
    func negotiation(_ accept: String?, _ expected: ExpositionFormat) {
        #expect(ExpositionFormat.negotiate(accept: accept) == expected, "Accept: \(accept ?? "(none)")")
    }

    @Test func contentTypes() {
        #expect(ExpositionFormat.prometheusText.contentType == "text/plain; version=0.0.4; charset=utf-8")
        #expect(
            ExpositionFormat.openMetrics.contentType == "application/openmetrics-text; version=1.0.0; charset=utf-8")
    }
}
