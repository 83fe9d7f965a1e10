import CMicroHTTPD
import Glibc

/// Validates an HTTPServerConfiguration and starts libmicrohttpd with it.
enum DaemonStarter {
    static func start(_ configuration: HTTPServerConfiguration, context: ServerContext) throws -> DaemonHandle {
        guard let host = IPAddress(configuration.host) else {
            throw HTTPServerError("invalid listen host '\(configuration.host)': expected an IPv4 or IPv6 literal")
        }
        let endpoint = host.isIPv4 ? "\(host):\(configuration.port)" : "[\(host)]:\(configuration.port)"
        guard configuration.threads >= 1, configuration.maxConnections >= configuration.threads,
            configuration.perIPConnectionLimit >= 1, configuration.connectionTimeoutSeconds >= 0,
            configuration.maxBodyBytes >= 0
        else {
            throw HTTPServerError(
                "cannot start HTTP server on \(endpoint): threads, connection limits, timeout and body limit"
                    + " must be positive (and maxConnections at least threads)")
        }

        var failureErrno: Int32 = 0
        let daemon = launch(configuration, host: host, context: context, errno: &failureErrno)
        let messages = context.finishStartup(succeeded: daemon != nil)
        guard let daemon else {
            throw HTTPServerError(failureMessage(endpoint: endpoint, messages: messages, errno: failureErrno))
        }
        return DaemonHandle(daemon: daemon, context: context)
    }

    /// Builds the option array and calls MHD_start_daemon; nil when it refused (see errno and the log).
    private static func launch(
        _ configuration: HTTPServerConfiguration, host: IPAddress, context: ServerContext, errno failure: inout Int32
    ) -> sending OpaquePointer? {
        let threads = configuration.threads
        var flags = MHD_USE_EPOLL_INTERNAL_THREAD.rawValue | MHD_USE_ITC.rawValue | MHD_USE_ERROR_LOG.rawValue
        if !host.isIPv4 {
            // "::" means every address, so take IPv4 clients too; other v6 hosts are v6 only.
            flags |= host == IPAddress(high: 0, low: 0) ? MHD_USE_DUAL_STACK.rawValue : MHD_USE_IPv6.rawValue
        }
        if configuration.tls != nil { flags |= MHD_USE_TLS.rawValue }

        let contextPointer = Unmanaged.passUnretained(context).toOpaque()
        // The PEM texts are read only while the daemon starts (GnuTLS copies them), so
        // these C copies live just for the call.
        let certificate = configuration.tls.map { strdup($0.certificatePEM) } ?? nil
        let key = configuration.tls.map { strdup($0.keyPEM) } ?? nil
        defer {
            Glibc.free(certificate)
            Glibc.free(key)
        }

        let daemon: OpaquePointer? = SocketAddress.withSocketAddress(host, port: configuration.port) { address, _ in
            var options: [MHD_OptionItem] = [
                item(.CONNECTION_TIMEOUT, value: configuration.connectionTimeoutSeconds),
                item(.PER_IP_CONNECTION_LIMIT, value: configuration.perIPConnectionLimit),
                item(.CONNECTION_LIMIT, value: configuration.maxConnections),
                item(.SOCK_ADDR, pointer: UnsafeMutableRawPointer(address)),
                item(.URI_LOG_CALLBACK, function: MHDCallbacks.uriLogPointer, context: contextPointer),
                item(.NOTIFY_COMPLETED, function: MHDCallbacks.completedPointer, context: contextPointer),
            ]
            if threads > 1 { options.append(item(.THREAD_POOL_SIZE, value: threads)) }
            if let certificate, let key {
                options.append(item(.HTTPS_MEM_CERT, pointer: UnsafeMutableRawPointer(certificate)))
                options.append(item(.HTTPS_MEM_KEY, pointer: UnsafeMutableRawPointer(key)))
            }
            options.append(item(.END, value: 0))
            errno = 0
            let started = options.withUnsafeMutableBufferPointer { buffer in
                cmhd_start(
                    flags, configuration.port, MHDCallbacks.accessPointer, contextPointer,
                    MHDCallbacks.loggerPointer, contextPointer, buffer.baseAddress)
            }
            failure = errno
            return started
        }
        return daemon
    }

    /// "cannot listen on 127.0.0.1:8080: address already in use" for socket errors,
    /// otherwise libmicrohttpd's own last words (e.g. about a bad certificate).
    static func failureMessage(endpoint: String, messages: [String], errno code: Int32) -> String {
        let socketFailure = messages.last {
            $0.hasPrefix("Failed to bind") || $0.hasPrefix("Failed to listen")
                || $0.hasPrefix("Failed to create socket")
        }
        if socketFailure != nil || [EADDRINUSE, EADDRNOTAVAIL, EACCES, EAFNOSUPPORT].contains(code) {
            // "Failed to bind to port 8080: Address already in use" -> "address already in use".
            let reason =
                socketFailure
                .flatMap { text in text.lastIndex(of: ":").map { text[text.index(after: $0)...] } }
                .map { String($0.trimmingPrefix(" ")) } ?? String(cString: strerror(code))
            return "cannot listen on \(endpoint): \(reason.lowercased())"
        }
        // The last message is often a summary ("Failed to initialize TLS support."); the
        // ones before it say why, so keep them all, trimmed of their full stops.
        let trimmed = messages.map { $0.hasSuffix(".") ? String($0.dropLast()) : $0 }
        let detail =
            trimmed.isEmpty
            ? (code != 0 ? String(cString: strerror(code)) : "libmicrohttpd refused to start")
            : trimmed.joined(separator: "; ")
        return "cannot start HTTP server on \(endpoint): \(detail)"
    }

    private static func item(_ option: MHD_OPTION, value: Int) -> MHD_OptionItem {
        MHD_OptionItem(option: option, value: value, ptr_value: nil)
    }

    private static func item(_ option: MHD_OPTION, pointer: UnsafeMutableRawPointer?) -> MHD_OptionItem {
        MHD_OptionItem(option: option, value: 0, ptr_value: pointer)
    }

    /// Two-pointer options: in an option array the function goes in `value`, its closure in `ptr_value`.
    private static func item<Function>(
        _ option: MHD_OPTION, function: Function, context: UnsafeMutableRawPointer
    ) -> MHD_OptionItem {
        MHD_OptionItem(option: option, value: unsafeBitCast(function, to: Int.self), ptr_value: context)
    }
}
