import BlogStatsHTTP
import Foundation

/// Starts servers for the tests and makes test payloads.
enum TestServer {
    /// A server on 127.0.0.1 with an ephemeral port; `configure` adjusts the defaults.
    static func start(
        configure: (inout HTTPServerConfiguration) -> Void = { _ in },
        handler: @escaping @Sendable (HTTPRequest) -> HTTPResponse
    ) throws -> HTTPServer {
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        configuration.errorLog = { _ in }  // keep expected client-abort noise out of the test output
        configure(&configuration)
        return try HTTPServer(configuration: configuration, handler: handler)
    }

    /// Deterministic pseudo-random bytes (so a failure can be reproduced).
    static func bytes(_ count: Int, seed: UInt64 = 42) -> Data {
        var state = seed
        var bytes = [UInt8](repeating: 0, count: count)
        for index in 0..<count {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            bytes[index] = UInt8(truncatingIfNeeded: state >> 33)
        }
        return Data(bytes)
    }
}
