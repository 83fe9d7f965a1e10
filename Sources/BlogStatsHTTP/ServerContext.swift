@preconcurrency import Glibc
import Synchronization

/// Everything the libmicrohttpd callbacks share for one server: the handler, the limits,
/// the logs and the count of requests in flight.
///
/// Passed to C as an unretained pointer; the DaemonHandle that owns the daemon keeps it
/// alive until MHD_stop_daemon has returned, after which no callback can run.
final class ServerContext: Sendable {
    let handler: @Sendable (HTTPRequest) -> HTTPResponse
    let maxBodyBytes: Int
    /// How much of an oversized chunked body is read and thrown away so that the client
    /// still gets its 413; past this the connection is simply closed.
    let maxDiscardBytes: Int
    let accessLog: (@Sendable (String) -> Void)?
    let errorLog: (@Sendable (String) -> Void)?
    let earlyAnswer: (@Sendable (String, String, Int) -> Void)?
    /// Requests between the URI-log hook and the completion notice; stop() drains this to 0.
    let inFlight = Atomic<Int>(0)
    /// While starting, libmicrohttpd's messages are kept to explain a failed start.
    private let startup = Mutex<(collecting: Bool, messages: [String])>((true, []))

    init(configuration: HTTPServerConfiguration, handler: @escaping @Sendable (HTTPRequest) -> HTTPResponse) {
        self.handler = handler
        maxBodyBytes = configuration.maxBodyBytes
        maxDiscardBytes = max(configuration.maxBodyBytes, 1 << 20)
        accessLog = configuration.accessLog
        errorLog = configuration.errorLog
        earlyAnswer = configuration.earlyAnswer
    }

    /// One diagnostic line from libmicrohttpd.
    func log(_ message: String) {
        let kept = startup.withLock { state in
            if state.collecting { state.messages.append(message) }
            return state.collecting
        }
        if !kept { emit(message) }
    }

    /// Ends the start phase: returns what was logged during it and, when the start
    /// succeeded, passes those lines on like any later ones.
    func finishStartup(succeeded: Bool) -> [String] {
        let messages = startup.withLock { state in
            state.collecting = false
            return state.messages
        }
        if succeeded { messages.forEach(emit) }
        return messages
    }

    private func emit(_ message: String) {
        if let errorLog {
            errorLog(message)
        } else {
            fputs("microhttpd: \(message)\n", stderr)
        }
    }
}
