import Testing

@testable import BlogStatsImport

private func decode(_ json: String) throws(InfluxError) -> [InfluxPoint] {
    try InfluxResult.decode(Array(json.utf8)).points
}

@Suite("InfluxResult: decoding /query answers")
struct InfluxResultTests {
    @Test func tagsReturnedAsColumnsWithNulls() throws {
        let points = try decode(
            """
            {"results":[{"statement_id":0,"series":[{"name":"blog_stats",
             "columns":["time","id","slug","title","value"],
             "values":[[1700000000123456000,"a","s-a","Title, \\"quoted\\"",12],
                       [1700000000123456000,null,null,"no id",3],
                       [1700000060000000000,"b",null,null,null]]}]}]}
            """)
        #expect(points.count == 3)
        #expect(
            points[0]
                == InfluxPoint(
                    time: 1_700_000_000_123_456_000, id: "a", slug: "s-a", title: "Title, \"quoted\"",
                    value: .integer(12)))
        #expect(points[1].id == nil)
        #expect(points[2].slug == nil)
        #expect(points[2].value == .missing)
        #expect(points[2].value.viewCount == nil)
    }

    @Test func seriesTagsApplyToTheirRowsAndSeveralSeriesAreMergedByTime() throws {
        let points = try decode(
            """
            {"results":[{"statement_id":0,"series":[
              {"name":"blog_stats","tags":{"id":"b","blog":"two"},"columns":["time","value"],"values":[[20,2],[40,4]]},
              {"name":"blog_stats","tags":{"id":"a","blog":""},"columns":["time","value","extra"],"values":[[10,1.0,true],[30,2.5,"x"]]}
            ]}]}
            """)
        #expect(points.map(\.time) == [10, 20, 30, 40])
        #expect(points.map(\.id) == ["a", "b", "a", "b"])
        #expect(points[1].blog == "two")
        #expect(points[0].value.viewCount == 1)
        #expect(points[2].value == .number(2.5))
        #expect(points[2].value.viewCount == nil)
    }

    @Test func emptyResultsAndTextValues() throws {
        #expect(try decode(#"{"results":[{"statement_id":0}]}"#).isEmpty)
        let text = try decode(
            #"{"results":[{"series":[{"columns":["time","id","value"],"values":[[1,"a","12"],[2,"b",-4]]}]}]}"#)
        #expect(text[0].value == .text("12"))
        #expect(text[0].value.viewCount == nil)
        #expect(text[1].value.viewCount == nil)
    }

    @Test func errorsAreThrownWithInfluxDBsMessage() {
        #expect(throws: InfluxError("InfluxDB: database not found: nope")) {
            try decode(#"{"results":[{"statement_id":0,"error":"database not found: nope"}]}"#)
        }
        #expect(throws: InfluxError("InfluxDB: error parsing query: found EOF")) {
            try decode(#"{"error":"error parsing query: found EOF"}"#)
        }
        #expect(throws: InfluxError.self) { try decode("<html>proxy error</html>") }
        #expect(throws: InfluxError.self) {
            try decode(#"{"results":[{"series":[{"columns":["id"],"values":[["a"]]}]}]}"#)
        }
    }

    @Test func queriesQuoteIdentifiersAndEncodePlus() {
        var source = InfluxSource(url: "http://127.0.0.1:8086", database: "my db")
        source.measurement = #"odd"name"#
        source.retentionPolicy = "autogen"
        let query = source.pageQuery(cursor: -5, end: 100, limit: 10)
        #expect(
            query == #"SELECT * FROM "autogen"."odd\"name" WHERE time >= -5 AND time < 100 ORDER BY time ASC LIMIT 10"#)
        let url = source.queryURL("SELECT 1+1")
        #expect(url.contains("db=my%20db"))
        #expect(url.contains("epoch=ns"))
        #expect(url.contains("1%2B1"))
    }

    @Test func theFirstPageNeverStartsBeforeInfluxDBsMinimumTime() {
        // influxd 1.6 answers `time >= -9223372036854775808` without its oldest points.
        let source = InfluxSource(url: "http://127.0.0.1:8086", database: "blog")
        let pager = InfluxPager(source: source, client: InfluxQueryClient(), start: .min, end: nil)
        #expect(pager.nextQuery.contains("time >= -9223372036854775806 ORDER BY"))
    }
}
