import BlogStatsCore
import BlogStatsHTTPClient
import Foundation

/// POSTs gzip snapshot bodies to a receiver with one shared `HTTPClient` (its connection is
/// reused from push to push), known-length bodies, a connect (and silence) timeout and a total
/// timeout; classifies each answer.
public final class Pusher: Sendable {
    public struct Configuration: Sendable {
        /// `http(s)://host:port/stats`, as `Pusher.endpoint(_:)` makes it.
        public var endpoint: String
        public var token: String?
        /// Gives up when a connection cannot be made, or stays silent, for this long (seconds).
        public var connectTimeout: Double = 10
        /// Gives up when one push takes longer than this (seconds).
        public var timeout: Double = 60
        public var userAgent = "blogstats-push"
        /// A PEM file of certificate authorities to trust instead of the system's.
        public var certificateAuthorities: String? = nil

        public init(endpoint: String) {
            self.endpoint = endpoint
        }
    }

    public let configuration: Configuration
    private let client: HTTPClient

    public init(configuration: Configuration) {
        self.configuration = configuration
        client = HTTPClient(
            userAgent: configuration.userAgent, certificateAuthorities: configuration.certificateAuthorities)
    }

    /// `http://host:8080` or `http://host:8080/` → `http://host:8080/stats`; any other path is kept.
    /// Nil unless the scheme is http or https and there is a host.
    public static func endpoint(_ text: String) -> String? {
        guard var components = URLComponents(string: text),
            let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = components.host, !host.isEmpty
        else { return nil }
        if components.path.isEmpty || components.path == "/" { components.path = "/stats" }
        return components.url?.absoluteString
    }

    /// The endpoint with `?blog=NAME` when a blog is named.
    public func url(blog: String?) -> String {
        guard let blog, var components = URLComponents(string: configuration.endpoint) else {
            return configuration.endpoint
        }
        components.queryItems =
            (components.queryItems ?? []).filter { $0.name != "blog" } + [
                URLQueryItem(name: "blog", value: blog)
            ]
        return components.url?.absoluteString ?? configuration.endpoint
    }

    /// Sends one snapshot body and waits for the answer (at most `timeout` seconds).
    public func push(_ gzip: [UInt8], blog: String?, capturedAt: Int64) -> PushOutcome {
        var headers: [(name: String, value: String)] = [
            ("Content-Type", "text/csv"), ("Content-Encoding", "gzip"),
            ("X-Blogstats-Captured-At", Timestamp.format(capturedAt)),
        ]
        if let token = configuration.token { headers.append(("Authorization", "Bearer \(token)")) }
        let request = HTTPClientRequest(
            method: "POST", url: url(blog: blog), headers: headers, body: gzip,
            connectTimeout: configuration.connectTimeout, timeout: configuration.timeout)
        do throws(HTTPClientError) {
            let response = try client.send(request)
            return PushOutcome.classify(
                status: response.status, body: response.body, retryAfter: response.headers["retry-after"])
        } catch {
            return .retryLater(describe(error))
        }
    }

    /// Cancels pushes in flight (on SIGTERM): they end as `retryLater` and are spooled.
    public func cancelAll() {
        client.cancelAll()
    }

    private var host: String { URLComponents(string: configuration.endpoint)?.host ?? "the receiver" }

    private func seconds(_ value: Double) -> String { value == value.rounded() ? "\(Int(value)) s" : "\(value) s" }

    private func describe(_ error: HTTPClientError) -> String {
        switch error.kind {
        case .connect: return "cannot connect to \(host) (\(error.message))"
        case .connectTimeout:
            return
                "\(host) did not connect or answer within \(seconds(configuration.connectTimeout)) (--connect-timeout)"
        case .timeout:
            return "no answer from \(host) within the total timeout of \(seconds(configuration.timeout))"
        case .resolve: return "cannot resolve \(host)"
        case .connectionLost: return "the connection to \(host) was lost (\(error.message))"
        case .cancelled: return "cancelled"
        case .tls: return "TLS with \(host) failed: \(error.message)"
        case .libraryMissing: return "blogstats push \(error.message)"
        case .invalidRequest, .other: return "cannot push to \(host): \(error.message)"
        }
    }
}
