import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A failed system call in RawHTTPClient, with its errno text.
enum RawHTTPError: Error, CustomStringConvertible {
    case system(String, Int32)
    var description: String {
        switch self {
        case .system(let call, let code): "\(call): \(String(cString: strerror(code)))"
        }
    }
}
