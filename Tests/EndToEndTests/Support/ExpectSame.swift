import Testing

/// `#expect(actual == expected)` for values that come from `try await` (which `#expect` does
/// not take apart): a failure shows both values, at the caller's line.
func expectSame<Value: Equatable>(
    _ actual: Value, _ expected: Value, _ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(actual == expected, comment, sourceLocation: sourceLocation)
}
