import Dispatch
import Foundation
import Synchronization

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The mirror's only HTTP client: one POST, answered with status, headers and body (callable
/// from several threads at once). Every
/// request InfluxDB sees goes through `post`, so the transport can be swapped here alone.
final class InfluxWriter: Sendable {
    struct Answer: Sendable {
        var status: Int
        /// Names in lower case.
        var headers: [String: String]
        var body: [UInt8]
    }

    /// No HTTP answer (refused, timed out, cancelled).
    struct TransportError: Error, Sendable, CustomStringConvertible {
        var description: String
    }

    private let base: String
    private let timeout: Double
    private let session: URLSession
    private let inFlight = Mutex<[Int: URLSessionTask]>([:])

    init(url: String, timeout: Double, connections: Int) {
        var base = url
        while base.hasSuffix("/") { base.removeLast() }
        self.base = base
        self.timeout = timeout
        let settings = URLSessionConfiguration.ephemeral
        settings.timeoutIntervalForRequest = timeout
        settings.timeoutIntervalForResource = timeout
        settings.httpMaximumConnectionsPerHost = max(1, connections)
        settings.urlCache = nil
        settings.httpCookieStorage = nil
        settings.requestCachePolicy = .reloadIgnoringLocalCacheData
        session = URLSession(configuration: settings)
    }

    /// POSTs `body` (a known length, never a stream) and waits at most `timeout` seconds.
    func post(path: String, query: [(String, String)], headers: [(String, String)], body: [UInt8])
        throws(TransportError) -> Answer
    {
        var components = URLComponents(string: base + path)
        components?.queryItems = query.map { URLQueryItem(name: $0.0, value: $0.1) }
        guard let url = components?.url else { throw TransportError(description: "bad URL \(base + path)") }
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.timeoutInterval = timeout
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let answer = Mutex<(Data?, HTTPURLResponse?, (any Error)?)?>(nil)
        let done = DispatchSemaphore(value: 0)
        let task = session.uploadTask(with: request, from: Data(body)) { data, response, error in
            answer.withLock { $0 = (data, response as? HTTPURLResponse, error) }
            done.signal()
        }
        let key = task.taskIdentifier
        inFlight.withLock { $0[key] = task }
        defer { _ = inFlight.withLock { $0.removeValue(forKey: key) } }
        task.resume()
        if done.wait(timeout: .now() + timeout + 5) == .timedOut {
            task.cancel()
            done.wait()
            throw TransportError(description: "no answer within \(Int(timeout)) s")
        }
        let (data, response, error) = answer.withLock { $0 } ?? (nil, nil, nil)
        if let error { throw TransportError(description: Self.describe(error)) }
        guard let response else { throw TransportError(description: "no HTTP answer") }
        var fields: [String: String] = [:]
        for (name, value) in response.allHeaderFields {
            if let name = name as? String, let value = value as? String { fields[name.lowercased()] = value }
        }
        return Answer(status: response.statusCode, headers: fields, body: data.map { [UInt8]($0) } ?? [])
    }

    /// Ends the requests in flight at once (on stop).
    func cancel() {
        inFlight.withLock { tasks in tasks.values.forEach { $0.cancel() } }
    }

    private static func describe(_ error: any Error) -> String {
        guard let error = error as? URLError else { return "\(error)" }
        switch error.code {
        case .cannotConnectToHost: return "connection refused"
        case .timedOut: return "timed out"
        case .cannotFindHost, .dnsLookupFailed: return "cannot resolve the host"
        case .networkConnectionLost: return "connection lost"
        case .cancelled: return "cancelled"
        default: return "URL error \(error.code.rawValue)"
        }
    }
}
