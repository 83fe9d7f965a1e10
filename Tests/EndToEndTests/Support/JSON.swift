import Foundation

/// JSON answers and store rows compared exactly: both sides are written out with sorted keys,
/// so a mismatch shows as two readable strings.
enum JSON {
    static func parse(_ data: Data) -> Any? {
        try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
    }

    /// `value` (from `parse`, or a literal of dictionaries, arrays, strings, numbers, `Bool`
    /// and `NSNull`) as compact JSON with sorted keys.
    static func canonical(_ value: Any?) -> String {
        guard let value else { return "<no JSON>" }
        guard
            let data = try? JSONSerialization.data(
                withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed, .withoutEscapingSlashes])
        else { return "<not JSON: \(value)>" }
        return String(decoding: data, as: UTF8.self)
    }
}
