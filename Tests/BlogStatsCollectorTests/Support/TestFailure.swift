/// A test's own precondition failed (a tool missing, a process that would not start).
struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
