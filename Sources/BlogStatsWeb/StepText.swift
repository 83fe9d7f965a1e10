/// Bucket steps in words and in URLs.
public enum StepText {
    /// `1m`, `15m`, `1h`, `6h`, `1d`, `1w`: the form the API's `step` takes.
    public static func parameter(_ step: Int64) -> String {
        if step % 604_800 == 0 { return "\(step / 604_800)w" }
        if step % 86_400 == 0 { return "\(step / 86_400)d" }
        if step % 3600 == 0 { return "\(step / 3600)h" }
        if step % 60 == 0 { return "\(step / 60)m" }
        return "\(step)s"
    }

    /// `1 minute`, `15 minutes`, `1 hour`, `6 hours`, `1 day`, `1 week`.
    public static func label(_ step: Int64) -> String {
        let (count, unit): (Int64, String) =
            if step % 604_800 == 0 { (step / 604_800, "week") } else if step % 86_400 == 0 {
                (step / 86_400, "day")
            } else if step % 3600 == 0 { (step / 3600, "hour") } else if step % 60 == 0 {
                (step / 60, "minute")
            } else { (step, "second") }
        return "\(count) \(unit)\(count == 1 ? "" : "s")"
    }

    /// `per minute`, `per 15 minutes`, `per hour`, `per day`, `per week`.
    public static func per(_ step: Int64) -> String {
        let words = label(step)
        return "per " + (words.hasPrefix("1 ") ? String(words.dropFirst(2)) : words)
    }
}
