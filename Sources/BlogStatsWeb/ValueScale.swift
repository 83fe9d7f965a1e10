/// The y axis of a chart: from 0 to a round maximum, with round steps (1, 2 or 5 × 10ⁿ).
public struct ValueScale: Sendable, Equatable {
    public let maximum: Int64
    public let ticks: [Int64]

    /// - Parameter largest: the largest value to show (0 or less gives a 0…4 axis).
    public init(largest: Int64, targetTicks: Int64 = 4) {
        let top = max(largest, 1)
        var magnitude: Int64 = 1
        while magnitude <= top / (targetTicks * 10) { magnitude *= 10 }
        var step = magnitude
        for factor: Int64 in [1, 2, 5, 10] {
            step = magnitude * factor
            if step * targetTicks >= top { break }
        }
        let count = (top + step - 1) / step
        maximum = count * step
        ticks = (0...count).map { $0 * step }
    }

    /// A value's height as a fraction of the axis (0 at the bottom).
    public func fraction(_ value: Double) -> Double {
        maximum > 0 ? min(max(value / Double(maximum), 0), 1) : 0
    }
}
