import Foundation

/// Open TCP connections as the kernel lists them in /proc/net/tcp{,6} (Linux).
enum TCPConnections {
    /// How many connections to local port `port` are established (the server's side of them).
    static func established(toLocalPort port: Int) -> Int {
        let hexPort = String(format: ":%04X", port)
        var count = 0
        for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
            let text = procFile(table)
            for line in text.split(separator: "\n").dropFirst() {
                let fields = line.split(separator: " ")
                // sl local_address rem_address st …; state 01 is ESTABLISHED.
                if fields.count > 3, fields[1].hasSuffix(hexPort), fields[3] == "01" { count += 1 }
            }
        }
        return count
    }

    /// A /proc file read to its end (its size says 0, so reading by size would get nothing).
    static func procFile(_ path: String) -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { return "" }
        defer { try? handle.close() }
        return String(decoding: (try? handle.readToEnd()) ?? Data(), as: UTF8.self)
    }

    /// Waits until at least one connection to `port` is established; false after `timeout`.
    static func waitForEstablished(toLocalPort port: Int, timeout: Double = 5) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(timeout)
        while ContinuousClock.now < deadline {
            if established(toLocalPort: port) > 0 { return true }
            try await Task.sleep(for: .milliseconds(10))
        }
        return false
    }
}
