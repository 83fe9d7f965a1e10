/// A precondition of an end-to-end test that did not hold (a process that would not start,
/// a command that timed out); thrown so the test stops with a message saying what happened.
struct TestFailure: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
