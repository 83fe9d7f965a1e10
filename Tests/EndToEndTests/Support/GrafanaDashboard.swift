import Foundation

/// deploy/grafana/blogstats-prometheus.json: its panels' queries and its variables' queries.
struct GrafanaDashboard {
    var expressions: [String] = []
    var variableQueries: [String: String] = [:]

    static func load() throws -> GrafanaDashboard {
        // This file is Tests/EndToEndTests/Support/GrafanaDashboard.swift.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let path = root.appendingPathComponent("deploy/grafana/blogstats-prometheus.json").path
        guard let data = FileManager.default.contents(atPath: path),
            let object = JSON.parse(data) as? [String: Any]
        else { throw TestFailure("\(path) is missing or not JSON") }
        var dashboard = GrafanaDashboard()
        for panel in object["panels"] as? [[String: Any]] ?? [] {
            for target in panel["targets"] as? [[String: Any]] ?? [] {
                if let expression = target["expr"] as? String { dashboard.expressions.append(expression) }
            }
        }
        let templating = object["templating"] as? [String: Any]
        for variable in templating?["list"] as? [[String: Any]] ?? [] {
            guard let name = variable["name"] as? String else { continue }
            dashboard.variableQueries[name] = variable["definition"] as? String ?? variable["query"] as? String
        }
        return dashboard
    }

    /// The expression with Grafana's variables replaced, longest names first.
    static func fill(_ expression: String, _ values: [String: String]) -> String {
        var filled = expression
        for (name, value) in values.sorted(by: { $0.key.count > $1.key.count }) {
            filled = filled.replacingOccurrences(of: name, with: value)
        }
        return filled
    }
}
