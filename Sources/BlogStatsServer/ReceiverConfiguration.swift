public import BlogStatsHTTP
public import BlogStatsMirror

/// Everything `blogstats serve` can be told; the CLI fills it, tests build it directly.
public struct ReceiverConfiguration: Sendable {
    public var http = HTTPServerConfiguration()
    /// The store file.
    public var dataPath = "blogstats.db"
    public var pushTokens: [PushToken] = []
    /// Addresses allowed to push without a token.
    public var allow: [CIDR] = []
    /// Bearer tokens that may read (the JSON API); not needed on a loopback-only receiver.
    public var readTokens: [[UInt8]] = []
    /// The dashboard password (`--read-password-file`): opens a session cookie at `/login`.
    public var readPassword: [UInt8]?
    /// Blog name → the blog's public address (`--blog-url`): the dashboard links posts to `URL/slug`.
    public var blogURLs: [String: String] = [:]
    /// The time zone of day and week buckets (an IANA name such as Europe/Paris).
    public var timeZone = "UTC"
    /// Proxies whose `X-Forwarded-For` is believed.
    public var trustProxy: [CIDR] = []
    /// How far in the future an explicit capture time may be (clock skew between hosts).
    public var maxClockSkewSeconds: Int64 = 300
    /// How old an explicit capture time may be: older data would fall outside minute retention.
    public var maxAgeSeconds: Int64 = 90 * 86_400
    /// Minute samples older than this are thinned to one per hour…
    public var keepMinutesSeconds: Int64 = 90 * 86_400
    /// …and hourly ones older than this to one per day.
    public var keepHoursSeconds: Int64 = 3 * 365 * 86_400
    /// How often retention looks for data to thin and days to seal.
    public var retentionInterval: Double = 600
    /// How long a write waits for a lock before the answer is 503.
    public var busyTimeoutMilliseconds = 2000
    /// The InfluxDB mirror (`--influx-url` …); nil: off.
    public var influx: MirrorConfiguration?
    /// Where log lines go (stderr in the CLI).
    public var log: @Sendable (String) -> Void = { _ in }
    /// Called after a large snapshot was handled (with its body size), off the request's path:
    /// the CLI hands freed memory back to the system there.
    public var afterLargeIngest: (@Sendable (Int) -> Void)?

    public init() {}
}

/// A push credential: a bearer token, optionally allowed to push to one blog only.
public struct PushToken: Sendable {
    public var secret: [UInt8]
    public var blog: String?
    /// Where it came from, for messages (never the secret itself).
    public var source: String

    public init(secret: String, blog: String?, source: String) {
        self.secret = Array(secret.utf8)
        self.blog = blog
        self.source = source
    }
}
