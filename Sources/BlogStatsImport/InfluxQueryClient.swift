import Dispatch
import Foundation
import Synchronization

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Every HTTP request of an import goes through here: one GET, whole answer in memory (pages
/// are bounded by `LIMIT`). The transport is the only thing to change when the project moves
/// off URLSession.
final class InfluxQueryClient: Sendable {
    private let session: URLSession
    private let timeout: Double

    init(timeout: Double = 300) {
        self.timeout = timeout
        let settings = URLSessionConfiguration.ephemeral
        settings.timeoutIntervalForRequest = timeout
        settings.urlCache = nil
        settings.httpCookieStorage = nil
        settings.requestCachePolicy = .reloadIgnoringLocalCacheData
        session = URLSession(configuration: settings)
    }

    /// GET `url` with extra headers; the status and the body, or a transport failure.
    func get(_ url: String, headers: [(String, String)] = []) throws(InfluxError) -> (status: Int, body: [UInt8]) {
        guard let target = URL(string: url) else { throw InfluxError("not a URL: \(url)") }
        var request = URLRequest(url: target, timeoutInterval: timeout)
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let answer = Mutex<(Data?, Int, String?)?>(nil)
        let done = DispatchSemaphore(value: 0)
        session.dataTask(with: request) { data, response, error in
            answer.withLock {
                $0 = (data, (response as? HTTPURLResponse)?.statusCode ?? 0, error.map { "\($0.localizedDescription)" })
            }
            done.signal()
        }.resume()
        done.wait()
        let (data, status, problem) = answer.withLock { $0 } ?? (nil, 0, "no answer")
        if let problem { throw InfluxError("cannot reach InfluxDB at \(target.host ?? url): \(problem)") }
        return (status, data.map { [UInt8]($0) } ?? [])
    }
}
