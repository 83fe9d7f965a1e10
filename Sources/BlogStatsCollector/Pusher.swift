import BlogStatsCore
import Dispatch
import Foundation
import Synchronization

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// POSTs gzip snapshot bodies to a receiver over one shared `URLSession`, with known-length
/// bodies, a connect (and silence) timeout and a total timeout; classifies each answer.
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

        public init(endpoint: String) {
            self.endpoint = endpoint
        }
    }

    public let configuration: Configuration
    private let session: URLSession

    public init(configuration: Configuration) {
        self.configuration = configuration
        let settings = URLSessionConfiguration.ephemeral
        // URLSession on Linux has no separate connect timeout: the request timeout is the
        // longest silence, which covers a connect that never completes. The total timeout is
        // enforced in `push` (Linux ignores timeoutIntervalForResource).
        settings.timeoutIntervalForRequest = configuration.connectTimeout
        settings.timeoutIntervalForResource = configuration.timeout
        settings.httpMaximumConnectionsPerHost = 1
        settings.urlCache = nil
        settings.httpCookieStorage = nil
        settings.requestCachePolicy = .reloadIgnoringLocalCacheData
        session = URLSession(configuration: settings)
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
        guard let url = URL(string: url(blog: blog)) else { return .rejected(status: 0, message: "bad URL") }
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.timeoutInterval = configuration.connectTimeout
        request.setValue("text/csv", forHTTPHeaderField: "Content-Type")
        request.setValue("gzip", forHTTPHeaderField: "Content-Encoding")
        request.setValue(Timestamp.format(capturedAt), forHTTPHeaderField: "X-Blogstats-Captured-At")
        request.setValue(configuration.userAgent, forHTTPHeaderField: "User-Agent")
        if let token = configuration.token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let answer = Answer()
        let done = DispatchSemaphore(value: 0)
        // From Data: a known Content-Length, never a chunked stream.
        let task = session.uploadTask(with: request, from: Data(gzip)) { data, response, error in
            answer.value.withLock { $0 = (data, response as? HTTPURLResponse, error) }
            done.signal()
        }
        task.resume()
        // URLSession on Linux does not enforce timeoutIntervalForResource: the total timeout is kept here.
        if done.wait(timeout: .now() + configuration.timeout) == .timedOut {
            task.cancel()
            done.wait()
            return .retryLater("no answer from \(host) within the total timeout of \(seconds(configuration.timeout))")
        }
        let (data, response, error) = answer.value.withLock { $0 } ?? (nil, nil, nil)
        if let error { return .retryLater(describe(error)) }
        guard let response else { return .retryLater("no HTTP answer") }
        return PushOutcome.classify(
            status: response.statusCode, body: data.map { [UInt8]($0) } ?? [],
            retryAfter: response.value(forHTTPHeaderField: "Retry-After"))
    }

    /// Cancels pushes in flight (on SIGTERM): they end as `retryLater` and are spooled.
    public func cancelAll() {
        session.getAllTasks { tasks in tasks.forEach { $0.cancel() } }
    }

    private var host: String { URLComponents(string: configuration.endpoint)?.host ?? "the receiver" }

    private func seconds(_ value: Double) -> String { value == value.rounded() ? "\(Int(value)) s" : "\(value) s" }

    private func describe(_ error: any Error) -> String {
        guard let error = error as? URLError else { return "\(error)" }
        switch error.code {
        case .cannotConnectToHost: return "cannot connect to \(host) (connection refused)"
        case .timedOut:
            return
                "\(host) did not connect or answer within \(seconds(configuration.connectTimeout)) (--connect-timeout)"
        case .cannotFindHost, .dnsLookupFailed: return "cannot resolve \(host)"
        case .networkConnectionLost: return "the connection to \(host) was lost"
        case .notConnectedToInternet: return "no network"
        case .cancelled: return "cancelled"
        case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate,
            .serverCertificateNotYetValid, .serverCertificateHasUnknownRoot, .clientCertificateRejected:
            return "TLS with \(host) failed (\(error.code.rawValue))"
        default: return "cannot push to \(host): URL error \(error.code.rawValue)"
        }
    }
}

/// Where the completion handler leaves the answer for the waiting thread.
private final class Answer: Sendable {
    let value = Mutex<(Data?, HTTPURLResponse?, (any Error)?)?>(nil)
}
