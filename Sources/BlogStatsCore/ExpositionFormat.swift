/// The two formats `/metrics` speaks, chosen from the scraper's `Accept` header.
public enum ExpositionFormat: Sendable, Equatable {
    /// The Prometheus text format, version 0.0.4.
    case prometheusText
    /// OpenMetrics 1.0.0: counters declared without `_total`, an `info` type, `# EOF` at the end.
    case openMetrics

    public var contentType: String {
        switch self {
        case .prometheusText: "text/plain; version=0.0.4; charset=utf-8"
        case .openMetrics: "application/openmetrics-text; version=1.0.0; charset=utf-8"
        }
    }

    /// The format an `Accept` header asks for.
    ///
    /// Each format gets the quality of the most specific media range that matches it (RFC 9110:
    /// `text/plain;q=0, */*` refuses the text format). OpenMetrics wins when it was named and its
    /// quality is positive and at least the text format's; everything else, including no header and
    /// a header that accepts neither, gets the text format, which every scraper reads.
    public static func negotiate(accept: String?) -> ExpositionFormat {
        guard let accept else { return .prometheusText }
        var openMetrics = Match()
        var text = Match()
        for range in accept.split(separator: ",") {
            guard let media = MediaRange(range) else { continue }
            switch (media.type, media.subtype) {
            case ("application", "openmetrics-text"):
                // 0.0.1 is the draft Prometheus still offers; the two differ in nothing we write.
                guard media.version.map({ $0 == "1.0.0" || $0 == "0.0.1" }) ?? true else { continue }
                openMetrics.offer(media.quality, specificity: media.version == nil ? 2 : 3)
            case ("application", "*"): openMetrics.offer(media.quality, specificity: 1)
            case ("text", "plain"):
                guard media.version.map({ $0 == "0.0.4" }) ?? true else { continue }
                text.offer(media.quality, specificity: media.version == nil ? 2 : 3)
            case ("text", "*"): text.offer(media.quality, specificity: 1)
            case ("*", "*"):
                openMetrics.offer(media.quality, specificity: 0)
                text.offer(media.quality, specificity: 0)
            default: continue
            }
        }
        let named = openMetrics.specificity >= 2
        if named && openMetrics.quality > 0 && openMetrics.quality >= (text.specificity < 0 ? 0 : text.quality) {
            return .openMetrics
        }
        return .prometheusText
    }

    /// The quality of the most specific range seen for one format so far.
    private struct Match {
        var quality = 0.0
        /// -1: no range matched yet.
        var specificity = -1

        mutating func offer(_ quality: Double, specificity: Int) {
            if specificity > self.specificity {
                self.quality = quality
                self.specificity = specificity
            } else if specificity == self.specificity {
                self.quality = max(self.quality, quality)
            }
        }
    }

    /// One element of an `Accept` header: `type/subtype;param=value;q=0.5`, lower-cased.
    private struct MediaRange {
        var type: Substring
        var subtype: Substring
        var quality = 1.0
        var version: Substring?

        init?(_ text: Substring) {
            let parts = text.split(separator: ";").map(Self.trimmed)
            guard let first = parts.first else { return nil }
            let media = Substring(first.lowercased()).split(separator: "/", omittingEmptySubsequences: false)
            guard media.count == 2, !media[0].isEmpty, !media[1].isEmpty else { return nil }
            type = media[0]
            subtype = media[1]
            for parameter in parts.dropFirst() {
                let pair = parameter.split(separator: "=", maxSplits: 1)
                guard pair.count == 2 else { continue }
                let name = Self.trimmed(pair[0]).lowercased()
                var value = Self.trimmed(pair[1])
                if value.count >= 2, value.first == "\"", value.last == "\"" { value = value.dropFirst().dropLast() }
                switch name {
                case "q": quality = Double(value).map { min(max($0, 0), 1) } ?? 0
                case "version": version = value
                default: continue
                }
            }
        }

        static func trimmed(_ text: Substring) -> Substring {
            var text = text
            while let first = text.first, first == " " || first == "\t" { text.removeFirst() }
            while let last = text.last, last == " " || last == "\t" { text.removeLast() }
            return text
        }
    }
}
