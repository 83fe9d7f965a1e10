/// Coordinates for SVG attributes: short, locale-free, never in exponent form.
enum SVGNumber {
    /// `12.345` (three decimals at most, trailing zeros dropped).
    static func text(_ value: Double) -> String {
        let scaled = (value * 1000).rounded()
        guard scaled.isFinite, abs(scaled) < 1e15 else { return "0" }
        var whole = Int64(scaled)
        let negative = whole < 0
        whole = abs(whole)
        var fraction = whole % 1000
        var text = String(whole / 1000)
        if fraction != 0 {
            var digits = 3
            while fraction % 10 == 0 {
                fraction /= 10
                digits -= 1
            }
            var fractionText = String(fraction)
            while fractionText.count < digits { fractionText = "0" + fractionText }
            text += "." + fractionText
        }
        return negative ? "-" + text : text
    }

    /// `12.345%`
    static func percent(_ value: Double) -> String { text(value) + "%" }
}
