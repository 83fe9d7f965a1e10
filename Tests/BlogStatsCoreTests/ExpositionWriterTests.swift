import Testing

@testable import BlogStatsCore

@Suite("ExpositionWriter")
struct ExpositionWriterTests {
    static let views = MetricFamily("blogstats_post_views", .counter, help: "Views.")
    static let info = MetricFamily("blogstats_post", .info, help: "Names.")
    static let size = MetricFamily("blogstats_store_size_bytes", .gauge, help: "Size.", unit: "bytes")
    static let duration = MetricFamily(
        "blogstats_ingest_duration_seconds", .histogram, help: "Time.", unit: "seconds")

    @Test(
        "label values escape backslash, quote and line feed only",
        arguments: [
            ("", ""),
            ("plain", "plain"),
            (#"Say "hi""#, #"Say \"hi\""#),
            (#"C:\dir\"#, #"C:\\dir\\"#),
            ("two\nlines", #"two\nlines"#),
            ("crlf\r\nend", "crlf\r\\nend"),
            ("tab\tand\u{0}nul", "tab\tand\u{0}nul"),
            (#"\n is not a newline"#, #"\\n is not a newline"#),
            (#"\""#, #"\\\""#),
            ("é 日本 😀 \u{2028} ✓", "é 日本 😀 \u{2028} ✓"),
            ("}{,=", "}{,="),
        ] as [(String, String)])
    func labelEscaping(_ value: String, _ escaped: String) {
        #expect(ExpositionEscaping.labelValue(value) == escaped)
        // The bytes path (titles straight from SQLite) escapes the same way.
        var bytes: [UInt8] = []
        Array(value.utf8).withUnsafeBufferPointer { ExpositionEscaping.appendLabelValue($0, to: &bytes) }
        #expect(String(decoding: bytes, as: UTF8.self) == escaped)
    }

    @Test func helpEscapesQuotesInOpenMetricsOnly() {
        let text = #"A "quoted" \ help"# + "\nline"
        var plain: [UInt8] = []
        ExpositionEscaping.appendHelp(text, format: .prometheusText, to: &plain)
        #expect(String(decoding: plain, as: UTF8.self) == #"A "quoted" \\ help\nline"#)
        var open: [UInt8] = []
        ExpositionEscaping.appendHelp(text, format: .openMetrics, to: &open)
        #expect(String(decoding: open, as: UTF8.self) == #"A \"quoted\" \\ help\nline"#)
    }

    static func sample(_ format: ExpositionFormat) -> String {
        var writer = ExpositionWriter(format: format)
        writer.declare(views)
        writer.begin(views.sampleName)
        writer.label("blog", "default")
        writer.label("id", "a")
        writer.label("slug", "hello")
        writer.value(Int64(1234))
        writer.begin(views.sampleName)
        writer.label("blog", "default")
        writer.label("id", "b")
        writer.label("slug", "")
        writer.value(Int64(0))
        writer.declare(info)
        writer.begin(info.sampleName)
        writer.label("blog", "default")
        writer.label("title", "He said \"hi\"\\\n")
        writer.value(Int64(1))
        writer.declare(size)
        writer.begin(size.sampleName)
        writer.value(Int64.max)
        var histogram = Histogram(bounds: [0.005, 1])
        histogram.observe(0.5)
        histogram.observe(2)
        writer.declare(duration)
        writer.histogram(duration, histogram)
        writer.finish()
        return String(decoding: writer.take(), as: UTF8.self)
    }

    @Test func prometheusText() {
        #expect(
            Self.sample(.prometheusText) == """
                # HELP blogstats_post_views_total Views.
                # TYPE blogstats_post_views_total counter
                blogstats_post_views_total{blog="default",id="a",slug="hello"} 1234
                blogstats_post_views_total{blog="default",id="b",slug=""} 0
                # HELP blogstats_post_info Names.
                # TYPE blogstats_post_info gauge
                blogstats_post_info{blog="default",title="He said \\"hi\\"\\\\\\n"} 1
                # HELP blogstats_store_size_bytes Size.
                # TYPE blogstats_store_size_bytes gauge
                blogstats_store_size_bytes 9223372036854775807
                # HELP blogstats_ingest_duration_seconds Time.
                # TYPE blogstats_ingest_duration_seconds histogram
                blogstats_ingest_duration_seconds_bucket{le="0.005"} 0
                blogstats_ingest_duration_seconds_bucket{le="1.0"} 1
                blogstats_ingest_duration_seconds_bucket{le="+Inf"} 2
                blogstats_ingest_duration_seconds_sum 2.5
                blogstats_ingest_duration_seconds_count 2

                """)
    }

    @Test func openMetricsDeclaresCountersWithoutTotalAndEndsWithEOF() {
        #expect(
            Self.sample(.openMetrics) == """
                # HELP blogstats_post_views Views.
                # TYPE blogstats_post_views counter
                blogstats_post_views_total{blog="default",id="a",slug="hello"} 1234
                blogstats_post_views_total{blog="default",id="b",slug=""} 0
                # HELP blogstats_post Names.
                # TYPE blogstats_post info
                blogstats_post_info{blog="default",title="He said \\"hi\\"\\\\\\n"} 1
                # HELP blogstats_store_size_bytes Size.
                # TYPE blogstats_store_size_bytes gauge
                # UNIT blogstats_store_size_bytes bytes
                blogstats_store_size_bytes 9223372036854775807
                # HELP blogstats_ingest_duration_seconds Time.
                # TYPE blogstats_ingest_duration_seconds histogram
                # UNIT blogstats_ingest_duration_seconds seconds
                blogstats_ingest_duration_seconds_bucket{le="0.005"} 0
                blogstats_ingest_duration_seconds_bucket{le="1.0"} 1
                blogstats_ingest_duration_seconds_bucket{le="+Inf"} 2
                blogstats_ingest_duration_seconds_sum 2.5
                blogstats_ingest_duration_seconds_count 2
                # EOF

                """)
    }

    @Test(
        "integers and floats",
        arguments: [
            (Int64(0), "0"), (9, "9"), (10, "10"), (1_234_567_890, "1234567890"), (-42, "-42"),
            (.min, "-9223372036854775808"),
        ] as [(Int64, String)])
    func integers(_ value: Int64, _ text: String) {
        var writer = ExpositionWriter(format: .prometheusText)
        writer.begin("x")
        writer.value(value)
        #expect(String(decoding: writer.take(), as: UTF8.self) == "x \(text)\n")
    }

    @Test func floats() {
        #expect(ExpositionWriter.number(0.005) == "0.005")
        #expect(ExpositionWriter.number(1) == "1.0")
        #expect(ExpositionWriter.number(1e-5) == "1e-05")
        #expect(ExpositionWriter.number(.infinity) == "+Inf")
        #expect(ExpositionWriter.number(-.infinity) == "-Inf")
        #expect(ExpositionWriter.number(.nan) == "NaN")
    }

    @Test func takeHandsOverWhatWasWrittenAndStartsAgain() {
        var writer = ExpositionWriter(format: .openMetrics, capacity: 64)
        writer.begin("a")
        writer.value(Int64(1))
        #expect(writer.take() == Array("a 1\n".utf8))
        #expect(writer.take() == [])
        writer.finish()
        #expect(writer.take() == Array("# EOF\n".utf8))
    }
}
