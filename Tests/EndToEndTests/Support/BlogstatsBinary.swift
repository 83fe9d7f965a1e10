import Foundation

/// The `blogstats` executable under test: the one SwiftPM built next to this test bundle
/// (the test target depends on it), or `BLOGSTATS_BINARY` when set.
enum BlogstatsBinary {
    static let path: String = locate()

    private static func locate() -> String {
        if let override = ProcessInfo.processInfo.environment["BLOGSTATS_BINARY"], !override.isEmpty {
            return override
        }
        let starts: [String?] = [CommandLine.arguments.first, Bundle.main.executablePath, Bundle.main.bundlePath]
        for case let start? in starts where !start.isEmpty {
            var directory = URL(fileURLWithPath: start).standardizedFileURL.deletingLastPathComponent()
            while directory.path != "/" && !directory.path.isEmpty {
                let candidate = directory.appendingPathComponent("blogstats").path
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory), !isDirectory.boolValue,
                    FileManager.default.isExecutableFile(atPath: candidate)
                {
                    return candidate
                }
                directory = directory.deletingLastPathComponent()
            }
        }
        // Not found: every test then fails with "cannot run blogstats", which says what to fix.
        return "blogstats"
    }
}
