import CMicroHTTPD
import Glibc
import Synchronization

/// The sole owner of one running MHD_Daemon, and of the ServerContext its callbacks use.
final class DaemonHandle: Sendable {
    /// The daemon pointer until stopped; the lock also makes a second stop() wait for the first.
    private let daemon: Mutex<OpaquePointer?>
    /// Kept here so it outlives every callback: it is released only after MHD_stop_daemon.
    let context: ServerContext
    let port: UInt16

    init(daemon: sending OpaquePointer, context: ServerContext) {
        port = cmhd_bind_port(daemon)
        self.context = context
        self.daemon = Mutex(daemon)
    }

    /// Stops accepting, waits up to `drainTimeout` seconds for requests in flight, then
    /// stops the daemon (cutting whatever is left). Idempotent.
    /// Must not be called from a handler: it joins the server threads.
    func stop(drainTimeout: Double) {
        daemon.withLock { pointer in
            guard let running = pointer else { return }
            pointer = nil
            let listenSocket = MHD_quiesce_daemon(running)
            if listenSocket >= 0 {
                // libmicrohttpd hands the listening socket back but asks that it stay open
                // until the daemon is stopped; shutting it down refuses new connections
                // right away (instead of letting them wait in the backlog) without closing it.
                _ = shutdown(listenSocket, Int32(SHUT_RDWR))
            }
            // Clamp so NaN, negative and infinite timeouts cannot trap in Duration arithmetic.
            let seconds = drainTimeout.isNaN ? 0 : min(max(drainTimeout, 0), 1e9)
            let deadline = ContinuousClock.now + .seconds(seconds)
            while context.inFlight.load(ordering: .acquiring) > 0 && ContinuousClock.now < deadline {
                usleep(2_000)
            }
            MHD_stop_daemon(running)
            if listenSocket >= 0 { _ = close(listenSocket) }
        }
    }

    deinit {
        stop(drainTimeout: 0)
    }
}
