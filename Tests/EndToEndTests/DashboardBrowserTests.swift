import Foundation
import Testing

/// The dashboard in a real browser: the receiver with three days of history (a gap, a reset,
/// a removal, a rename, a hostile title) loaded in headless Chromium, with and without
/// JavaScript; DOM checked, console and CSP reports checked, screenshots kept under
/// `.build/screenshots/`.
@Suite(.enabled(if: Shell.isInstalled("chromium"), "chromium is not installed (scripts/deps.sh installs it)"))
struct DashboardBrowserTests {
    /// Markup, an event handler, an SVG end tag, quotes and a line break.
    static let hostileTitle =
        "<script>alert(\"views\")</script> </svg></title><img src=x onerror=alert(1)> \"quoted\" 'single'\nline two"

    /// Pushes three days of snapshots, every 30 minutes, at explicit capture times ending a
    /// minute ago. Post `xss` (the hostile title) appears 60 h ago, is missing from 40 h to
    /// 35 h ago, resets 30 h ago and changes slug 20 h ago; nothing arrives from 50 h to 44 h ago.
    static func seed(_ receiver: ReceiverProcess, blog: String = "default") async throws -> Int64 {
        let now = CaptureTime.now()
        let end = now - 60
        let hour: Int64 = 3600
        var requests: [CurlBatch.Request] = []
        var counts: [String: Int] = ["hello": 1_200, "why": 640, "swift": 300, "xss": 0, "garden": 90, "draft": 4]
        counts["2026/12/ids"] = 10
        var time = end - 72 * hour
        var step = 0
        while time <= end {
            defer {
                time += 1800
                step += 1
            }
            // Readers read on (busier in the evening; deterministic), whether snapshots arrive or not.
            let busy = 2 + (step * 7 % 5) + ((step % 48) > 30 ? 6 : 0)
            for (id, weight) in [("hello", 5), ("why", 3), ("swift", 4), ("xss", 2), ("garden", 1), ("draft", 0)] {
                counts[id]! += busy * weight / 2 + (step * (weight + 3)) % 4
            }
            counts["2026/12/ids"]! += step % 3
            if time > end - 50 * hour && time < end - 44 * hour { continue }
            if time >= end - 30 * hour && time < end - 30 * hour + 1800 { counts["xss"] = 5 }
            var rows: [(id: String, slug: String, views: Int, title: String)] = [
                ("hello", "hello-world", counts["hello"]!, "Hello, world"),
                ("why", "why-i-write", counts["why"]!, "Why I write every morning"),
                ("swift", "swift-on-linux", counts["swift"]!, "Swift on Linux: a year later"),
                ("garden", "garden-notes", counts["garden"]!, "Garden notes, spring"),
                ("draft", "", counts["draft"]!, ""),
                ("2026/12/ids", "ids-with-slashes", counts["2026/12/ids"]!, "Ids with slashes"),
            ]
            let xssPresent = time >= end - 60 * hour && !(time >= end - 40 * hour && time < end - 35 * hour)
            if xssPresent {
                rows.append(("xss", time >= end - 20 * hour ? "xss-2" : "xss", counts["xss"]!, Self.hostileTitle))
            }
            requests.append(
                CurlBatch.Request(
                    url: receiver.url("/stats?blog=\(blog)"), method: "POST",
                    headers: ["Content-Type: text/csv", CaptureTime.header(time)], body: CSVBody(rows).text))
        }
        for (index, answer) in try await CurlBatch.run(requests).enumerated() where answer.status != 200 {
            throw TestFailure("snapshot \(index): \(answer.summary)")
        }
        return end
    }

    /// Where screenshots go: `.build/screenshots/` of the package.
    static let screenshots = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent(".build/screenshots")

    @Test func overviewAndPostPageInChromium() async throws {
        let directory = try TemporaryDirectory()
        let receiver = try await ReceiverProcess(
            in: directory, arguments: ["--timezone", "Europe/Paris", "--blog-url", "default=https://blog.example.org/"])
        _ = try await Self.seed(receiver)
        try FileManager.default.createDirectory(at: Self.screenshots, withIntermediateDirectories: true)
        func shot(_ name: String) -> String { Self.screenshots.appendingPathComponent("dashboard-\(name).png").path }
        let overview = receiver.url("/")
        let post = receiver.url("/posts/default/xss?from=7d")
        let runs = try await HeadlessChromium.runAll([
            HeadlessChromium.Job(url: overview),
            HeadlessChromium.Job(url: post),
            HeadlessChromium.Job(url: overview, javaScript: false),
            HeadlessChromium.Job(url: post, javaScript: false),
            HeadlessChromium.Job(url: overview, screenshot: shot("overview")),
            HeadlessChromium.Job(url: post, screenshot: shot("post")),
            HeadlessChromium.Job(url: overview, screenshot: shot("overview-phone"), windowSize: "390,1400"),
            HeadlessChromium.Job(url: receiver.url("/?from=24h"), screenshot: shot("overview-dark"), dark: true),
        ])
        for run in runs {
            #expect(run.problems.isEmpty, "console or CSP reports for \(run.job.url): \(run.problems)")
        }
        let (overviewDOM, postDOM, overviewNoJS, postNoJS) = (runs[0].dom, runs[1].dom, runs[2].dom, runs[3].dom)

        for (dom, page) in [
            (overviewDOM, "overview"), (postDOM, "post"), (overviewNoJS, "overview, no JS"), (postNoJS, "post, no JS"),
        ] {
            #expect(dom.contains("<svg class=\"chart-svg bars\""), "\(page): the bar chart")
            #expect(dom.contains("<svg class=\"chart-svg line\""), "\(page): the line chart")
            #expect(Self.count("<rect class=\"bar", dom) >= 40, "\(page): bars")
            #expect(dom.contains("<table class=\"visually-hidden\">"), "\(page): the data table")
            // The hostile title is text: escaped in the DOM, no element made from it.
            #expect(dom.contains("&lt;script&gt;alert(\"views\")&lt;/script&gt;"), "\(page): the title as text")
            #expect(dom.contains("&lt;img src=x onerror=alert(1)&gt;"), "\(page)")
            #expect(!dom.contains("<img"), "\(page): an element from the title")
            #expect(Self.count("<script", dom) == 1, "\(page): only the page's own script")
            #expect(Self.count("<svg", dom) == Self.count("</svg>", dom), "\(page)")
        }
        #expect(overviewDOM.contains("<html lang=\"en\" class=\"js\">"), "app.js ran under the policy")
        #expect(!overviewNoJS.contains("class=\"js\""), "no script ran with JavaScript off")
        #expect(overviewNoJS.contains("<button type=\"submit\" class=\"apply\">Apply</button>"))

        #expect(overviewDOM.contains("<table class=\"posts\">"))
        #expect(Self.count("<td class=\"rank\">", overviewDOM) == 7, "every post is listed")
        #expect(Self.count("<svg class=\"spark\"", overviewDOM) == 7)
        #expect(overviewDOM.contains("href=\"https://blog.example.org/hello-world\""))
        #expect(overviewDOM.contains("href=\"/posts/default/2026%2F12%2Fids\""))
        #expect(overviewDOM.contains("class=\"freshness fresh\""))
        #expect(!overviewDOM.contains("notice stale"))
        // Before the first snapshot and the six hours without, on each of the two charts.
        #expect(Self.count("<rect class=\"gap\"", overviewDOM) == 4)
        #expect(overviewDOM.contains("Times in Europe/Paris."))

        #expect(postDOM.contains("<h1>&lt;script&gt;alert(\"views\")&lt;/script&gt;"))
        #expect(postDOM.contains("<line class=\"reset\""), "the reset 30 h ago")
        #expect(postDOM.contains("<rect class=\"removed\""), "missing from 40 h to 35 h ago")
        #expect(Self.count("<rect class=\"gap\"", postDOM) == 4)
        #expect(postDOM.contains("<td class=\"slug\">xss-2</td>") && postDOM.contains("<td class=\"slug\">xss</td>"))
        #expect(postDOM.contains("/api/v1/export.csv?kind=series&amp;blog=default&amp;id=xss&amp;from="))

        for name in ["overview", "post", "overview-phone", "overview-dark"] {
            let data = try Data(contentsOf: URL(fileURLWithPath: shot(name)))
            #expect(data.starts(with: [0x89, 0x50, 0x4E, 0x47]), "\(name): a PNG")
            #expect(data.count > 20_000, "\(name): \(data.count) bytes is too small for a drawn page")
        }
    }

    /// The console check can fail: an inline script under the same kind of policy is reported.
    @Test func consoleCheckSeesAPolicyViolation() async throws {
        let directory = try TemporaryDirectory()
        let page = try directory.write(
            "violation.html",
            "<!doctype html><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'\">"
                + "<p>x</p><script>document.title = 'ran'</script>")
        let run = try await HeadlessChromium.runAll([HeadlessChromium.Job(url: "file://" + page)])[0]
        #expect(!run.problems.isEmpty, "the inline script should have been reported: \(run.stderr.suffix(2000))")
        #expect(!run.dom.contains("<title>ran</title>"))
    }

    static func count(_ needle: String, _ text: String) -> Int { text.components(separatedBy: needle).count - 1 }
}

/// Debian's `chromium`, headless: a DOM dump or a screenshot per run, and what it logged.
enum HeadlessChromium {
    struct Job: Sendable {
        var url: String
        var javaScript = true
        /// A PNG path: take a screenshot instead of dumping the DOM.
        var screenshot: String? = nil
        var windowSize = "1280,900"
        var dark = false
    }

    struct Run: Sendable {
        var job: Job
        var dom: String
        var stderr: String
        /// Console messages, policy violations, uncaught errors.
        var problems: [String]
    }

    /// Runs the jobs, four at a time, in order of the answers.
    static func runAll(_ jobs: [Job]) async throws -> [Run] {
        var runs: [Run?] = Array(repeating: nil, count: jobs.count)
        for start in stride(from: 0, to: jobs.count, by: 4) {
            try await withThrowingTaskGroup(of: (Int, Run).self) { group in
                for index in start..<min(start + 4, jobs.count) {
                    group.addTask { (index, try await run(jobs[index])) }
                }
                for try await (index, run) in group { runs[index] = run }
            }
        }
        return runs.map { $0! }
    }

    static func run(_ job: Job) async throws -> Run {
        let profile = try TemporaryDirectory()
        var arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(profile.path)", "--enable-logging=stderr",
            "--v=0", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
            "--window-size=\(job.windowSize)",
        ]
        if !job.javaScript {
            // `--blink-settings=scriptEnabled=false` also stops the DevTools evaluation that
            // --dump-dom and --screenshot use in this headless mode (the output is empty); the
            // profile's content setting blocks the page's scripts only.
            try FileManager.default.createDirectory(
                atPath: profile.path("Default"), withIntermediateDirectories: true)
            try profile.write(
                "Default/Preferences", #"{"profile":{"default_content_setting_values":{"javascript":2}}}"#)
        }
        if job.dark { arguments.append("--force-dark-mode") }
        arguments.append(job.screenshot.map { "--screenshot=\($0)" } ?? "--dump-dom")
        arguments.append(job.url)
        let result = try await Shell.run("chromium", arguments, timeout: 60)
        guard result.status == 0 else { throw TestFailure("chromium failed: \(result.summary)") }
        let problems = result.errorOutput.split(separator: "\n").map(String.init).filter { line in
            ["CONSOLE", "Content Security Policy", "Refused to", "Uncaught"].contains { line.contains($0) }
        }
        return Run(job: job, dom: result.output, stderr: result.errorOutput, problems: problems)
    }
}
