import Foundation

/// The body of `GET /query?epoch=ns` for one statement, decoded into points: tags come from a
/// series' `tags` or from columns of the same name; other columns are ignored.
public struct InfluxResult: Sendable, Equatable {
    public var points: [InfluxPoint]

    /// Decodes the answer; an `error` (top level or of the statement) is thrown as `InfluxError`.
    public static func decode(_ body: [UInt8]) throws(InfluxError) -> InfluxResult {
        let response: Response
        do {
            response = try JSONDecoder().decode(Response.self, from: Data(body))
        } catch {
            let start = String(decoding: body.prefix(200), as: UTF8.self)
            throw InfluxError("InfluxDB's answer is not the JSON of /query (\(error)): \(start)")
        }
        if let error = response.error { throw InfluxError("InfluxDB: \(error)") }
        var points: [InfluxPoint] = []
        var seriesCount = 0
        for result in response.results ?? [] {
            if let error = result.error { throw InfluxError("InfluxDB: \(error)") }
            for series in result.series ?? [] {
                points.append(contentsOf: series.points)
                seriesCount += 1
            }
        }
        // One series comes sorted by time; several (grouped by tags) are merged here.
        if seriesCount > 1 { points.sort { $0.time < $1.time } }
        return InfluxResult(points: points)
    }

    struct Response: Decodable {
        var results: [StatementResult]?
        var error: String?
    }

    struct StatementResult: Decodable {
        var series: [Series]?
        var error: String?
    }

    /// Decodes `values` row by row against `columns`, so each cell is read as the type its
    /// column holds without building a tree of untyped values.
    struct Series: Decodable {
        var points: [InfluxPoint] = []

        enum Keys: String, CodingKey {
            case columns, values, tags
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: Keys.self)
            let columns = try container.decode([String].self, forKey: .columns)
            let tags = try container.decodeIfPresent([String: String?].self, forKey: .tags) ?? [:]
            guard let time = columns.firstIndex(of: "time") else {
                throw InfluxError("the series has no time column (columns: \(columns.joined(separator: ",")))")
            }
            let roles = columns.map { Role(rawValue: $0) ?? .other }
            guard container.contains(.values), try !container.decodeNil(forKey: .values) else { return }
            var rows = try container.nestedUnkeyedContainer(forKey: .values)
            var template = InfluxPoint(time: 0, id: nil, value: .missing)
            template.id = tags["id"] ?? nil
            template.slug = tags["slug"] ?? nil
            template.title = tags["title"] ?? nil
            template.blog = tags["blog"] ?? nil
            if let count = rows.count { points.reserveCapacity(count) }
            while !rows.isAtEnd {
                var cells = try rows.nestedUnkeyedContainer()
                var point = template
                var index = 0
                while !cells.isAtEnd {
                    let role = index < roles.count ? roles[index] : .other
                    if index == time {
                        point.time = try cells.decode(Int64.self)
                    } else {
                        switch role {
                        case .value: point.value = try Self.value(&cells)
                        case .id: point.id = try cells.decodeIfPresent(String.self) ?? point.id
                        case .slug: point.slug = try cells.decodeIfPresent(String.self) ?? point.slug
                        case .title: point.title = try cells.decodeIfPresent(String.self) ?? point.title
                        case .blog: point.blog = try cells.decodeIfPresent(String.self) ?? point.blog
                        case .time, .other: _ = try cells.decode(AnyCell.self)
                        }
                    }
                    index += 1
                }
                points.append(point)
            }
        }

        enum Role: String {
            case time, value, id, slug, title, blog, other
        }

        private static func value(_ cells: inout any UnkeyedDecodingContainer) throws -> InfluxValue {
            if try cells.decodeNil() { return .missing }
            return try cells.decode(AnyCell.self).value
        }
    }

    /// Any JSON scalar (a column this import does not use, or a value of an unexpected type).
    struct AnyCell: Decodable {
        var value: InfluxValue

        init(from decoder: any Decoder) throws {
            let cell = try decoder.singleValueContainer()
            if cell.decodeNil() {
                value = .missing
            } else if let integer = try? cell.decode(Int64.self) {
                value = .integer(integer)
            } else if let number = try? cell.decode(Double.self) {
                value = .number(number)
            } else if let text = try? cell.decode(String.self) {
                value = .text(text)
            } else if let flag = try? cell.decode(Bool.self) {
                value = .text(flag ? "true" : "false")
            } else {
                value = .missing
            }
        }
    }
}

/// InfluxDB could not be read: an HTTP failure, an `error` in the answer or an answer that is
/// not what `/query` returns.
public struct InfluxError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
