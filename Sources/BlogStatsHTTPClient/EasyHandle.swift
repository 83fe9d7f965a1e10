internal import CCurlLoader

/// One libcurl easy handle, freed with it. It keeps its connections open between requests,
/// so a handle taken again from `HTTPClient`'s pool reuses the connection to the same server.
final class EasyHandle: @unchecked Sendable {
    // @unchecked: a handle is used by one thread at a time; the pool hands it to one request,
    // which gives it back when done.
    let pointer: UnsafeMutableRawPointer

    init?() {
        guard let pointer = ccurl_easy_init() else { return nil }
        self.pointer = pointer
    }

    deinit {
        ccurl_easy_cleanup(pointer)
    }
}
