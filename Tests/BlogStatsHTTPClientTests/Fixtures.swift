import BlogStatsHTTP
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A server of the repo's own (BlogStatsHTTP) on 127.0.0.1 with an ephemeral port.
func startServer(
    tls: TLSConfiguration? = nil, threads: Int = 4, handler: @escaping @Sendable (HTTPRequest) -> HTTPResponse
) throws -> HTTPServer {
    var configuration = HTTPServerConfiguration()
    configuration.port = 0
    configuration.threads = threads
    configuration.tls = tls
    configuration.maxBodyBytes = 64 << 20
    configuration.errorLog = { _ in }  // client aborts are expected in some tests
    return try HTTPServer(configuration: configuration, handler: handler)
}

/// A fresh directory under /tmp, removed with the value.
final class TemporaryDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "blogstats-httpclient-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { path + "/" + name }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}

struct FixtureFailure: Error, CustomStringConvertible {
    var description: String
}

/// A self-signed certificate for 127.0.0.1 made by `openssl`, as PEM files in `directory`.
func selfSignedCertificate(in directory: TemporaryDirectory) throws -> (cert: String, key: String) {
    let cert = directory.file("cert.pem")
    let key = directory.file("key.pem")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
    process.arguments = [
        "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
        "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert,
    ]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw FixtureFailure(description: "openssl req failed") }
    return (cert, key)
}

/// A TCP listener on 127.0.0.1 that accepts connections and never answers.
final class SilentListener: Sendable {
    let port: Int
    private let listener: Int32
    private let accepted = Mutex<[Int32]>([])

    var connections: Int { accepted.withLock { $0.count } }

    init() throws {
        (listener, port) = try listenOnLoopback()
        Thread.detachNewThread { [self] in
            while true {
                let connection = accept(listener, nil, nil)
                guard connection >= 0 else { return }
                accepted.withLock { $0.append(connection) }
            }
        }
    }

    deinit {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        accepted.withLock { $0.forEach { close($0) } }
    }
}

/// A TCP listener on 127.0.0.1 that reads a little of each connection, then closes it.
final class HangingUpListener: Sendable {
    let port: Int
    private let listener: Int32

    init() throws {
        (listener, port) = try listenOnLoopback()
        Thread.detachNewThread { [listener] in
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let connection = accept(listener, nil, nil)
                guard connection >= 0 else { return }
                _ = read(connection, &buffer, buffer.count)
                close(connection)  // unread bytes left: the peer gets a reset
            }
        }
    }

    deinit {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }
}

/// A minimal HTTP/1.1 server on 127.0.0.1 that answers every request on a connection with
/// `200 ok` and keeps the connection open; it counts the connections it accepted.
final class KeepAliveCounter: Sendable {
    let port: Int
    private let listener: Int32
    private let accepted = Mutex<[Int32]>([])

    var connections: Int { accepted.withLock { $0.count } }

    init() throws {
        (listener, port) = try listenOnLoopback()
        Thread.detachNewThread { [self] in
            while true {
                let connection = accept(listener, nil, nil)
                guard connection >= 0 else { return }
                accepted.withLock { $0.append(connection) }
                Thread.detachNewThread { Self.answer(connection) }
            }
        }
    }

    /// Answers requests (headers and a Content-Length body) until the peer closes.
    private static func answer(_ connection: Int32) {
        var pending: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let answer = Array("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".utf8)
        while true {
            let count = read(connection, &buffer, buffer.count)
            guard count > 0 else { return }
            pending.append(contentsOf: buffer[..<count])
            while let end = pending.firstRange(of: Array("\r\n\r\n".utf8))?.upperBound {
                let head = String(decoding: pending[..<end], as: UTF8.self).lowercased()
                let length =
                    head.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                    .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
                guard pending.count >= end + length else { break }
                pending.removeFirst(end + length)
                guard write(connection, answer, answer.count) == answer.count else { return }
            }
        }
    }

    deinit {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        accepted.withLock { $0.forEach { shutdown($0, Int32(SHUT_RDWR)) } }
    }
}

/// A loopback port nothing listens on (bound, then closed: connecting is refused).
func refusedPort() throws -> Int {
    let (socket, port) = try listenOnLoopback()
    close(socket)
    return port
}

private func listenOnLoopback() throws -> (Int32, Int) {
    let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
            bind(listener, socketAddress, length) == 0 && listen(listener, 16) == 0
                && getsockname(listener, socketAddress, &length) == 0
        }
    }
    guard bound else { throw FixtureFailure(description: "cannot listen on 127.0.0.1") }
    return (listener, Int(UInt16(bigEndian: address.sin_port)))
}

/// A response body of `total` bytes (byte i is i % 251) in pieces of 64 KiB.
final class PatternStream: HTTPBodyStream {
    static let pieceSize = 65_536
    /// Long enough that every piece is one slice of it.
    static let pattern = (0..<(pieceSize + 251)).map { UInt8($0 % 251) }
    private let produced = Mutex(0)
    let total: Int

    init(total: Int) {
        self.total = total
    }

    func next() -> [UInt8]? {
        produced.withLock { produced in
            guard produced < total else { return nil }
            let piece = Self.expected(at: produced, count: min(Self.pieceSize, total - produced))
            produced += piece.count
            return Array(piece)
        }
    }

    /// The bytes at `offset..<offset + count` (count at most `pieceSize`).
    static func expected(at offset: Int, count: Int) -> ArraySlice<UInt8> {
        pattern[(offset % 251)..<(offset % 251 + count)]
    }
}

/// Problems collected from several threads.
final class Failures: Sendable {
    private let items = Mutex<[String]>([])

    func add(_ item: String) { items.withLock { $0.append(item) } }

    var list: [String] { items.withLock { $0 } }
}
