import Foundation
import Testing

@testable import BlogStatsCore

private func encoded(_ text: String) -> String {
    var bytes: [UInt8] = []
    JSONText.appendString(text, to: &bytes)
    return String(decoding: bytes, as: UTF8.self)
}

@Suite("JSONText")
struct JSONTextTests {
    @Test(
        "string escaping",
        arguments: [
            ("", #""""#),
            ("plain", #""plain""#),
            ("say \"hi\"", #""say \"hi\"""#),
            (#"C:\dir\"#, #""C:\\dir\\""#),
            ("a\nb\rc\td", #""a\nb\rc\td""#),
            ("\u{0}\u{1}\u{8}\u{B}\u{C}\u{1F}", #""\u0000\u0001\u0008\u000b\u000c\u001f""#),
            ("\u{7F} ~", "\"\u{7F} ~\""),
            ("/ </script>", #""/ </script>""#),
            ("é 日本 😀 \u{2028}", "\"é 日本 😀 \u{2028}\""),
            ("\\\"", #""\\\"""#),
        ] as [(String, String)])
    func escaping(_ text: String, _ json: String) {
        #expect(encoded(text) == json)
    }

    @Test func appendsToExistingBytes() {
        var bytes = Array("[".utf8)
        JSONText.appendString("x", to: &bytes)
        #expect(bytes == Array(#"["x""#.utf8))
    }

    @Test func everyControlCharacterRoundTripsThroughAJSONParser() throws {
        var text = String((0..<0x20).map { Character(Unicode.Scalar(UInt8($0))) })
        text += "\"\\/ é\u{7F}😀 \u{FEFF}"
        let json = "[" + encoded(text) + "]"
        #expect(!json.utf8.contains { $0 < 0x20 })
        let decoded = try JSONDecoder().decode([String].self, from: Data(json.utf8))
        #expect(decoded == [text])
    }

    @Test func nonASCIIBytesPassThroughUnchanged() {
        let text = "Ünïcödé 日本語 👩‍👩‍👧"
        var bytes: [UInt8] = []
        JSONText.appendString(text, to: &bytes)
        #expect(bytes == [0x22] + Array(text.utf8) + [0x22])
    }

    @Test func arrays() {
        #expect(JSONText.array([]) == Array("[]".utf8))
        #expect(JSONText.array([Array("1".utf8)]) == Array("[1]".utf8))
        #expect(JSONText.array([Array("1".utf8), Array(#""a""#.utf8), Array("{}".utf8)]) == Array(#"[1,"a",{}]"#.utf8))
    }

    @Test func objectsKeepKeyOrder() {
        var object = JSONObject()
        #expect(object.utf8 == Array("{}".utf8))
        object.add("blog", "default")
        object.add("captured_at", "2026-12-03T16:20:00Z")
        object.add("rows", 13)
        object.add("total", Int64.max)
        object.add("min", Int64.min)
        object.add("duplicate", false)
        object.add("ok", true)
        object.addNull("gap")
        object.addRaw("list", JSONText.array([Array("1".utf8), Array("2".utf8)]))
        object.add("we\"ird\nkey", "v")
        let expected =
            #"{"blog":"default","captured_at":"2026-12-03T16:20:00Z","rows":13,"total":9223372036854775807,"#
            + #""min":-9223372036854775808,"duplicate":false,"ok":true,"gap":null,"list":[1,2],"we\"ird\nkey":"v"}"#
        #expect(String(decoding: object.utf8, as: UTF8.self) == expected)
        // Reading the bytes does not close the object: more keys can follow.
        object.add("after", 0)
        #expect(String(decoding: object.utf8, as: UTF8.self) == String(expected.dropLast()) + #","after":0}"#)
    }

    @Test func nestedObjects() throws {
        var inner = JSONObject()
        inner.add("start", "2026-12-03T16:00:00Z")
        inner.addNull("views")
        var outer = JSONObject()
        outer.add("step", 3600)
        outer.addRaw("buckets", JSONText.array([inner.utf8, inner.utf8]))
        let json = String(decoding: outer.utf8, as: UTF8.self)
        #expect(
            json
                == #"{"step":3600,"buckets":[{"start":"2026-12-03T16:00:00Z","views":null},{"start":"2026-12-03T16:00:00Z","views":null}]}"#
        )
        #expect(try JSONSerialization.jsonObject(with: Data(json.utf8)) is [String: Any])
    }

    @Test func formatErrorAsJSON() {
        let full = SnapshotFormatError("view_count is not a number: \"12a\"", line: 4, column: 3, field: "view_count")
        #expect(
            String(decoding: full.json, as: UTF8.self)
                == #"{"error":"view_count is not a number: \"12a\"","line":4,"column":3,"field":"view_count"}"#)
        let lineOnly = SnapshotFormatError("duplicate id \"7\" (first on line 2)", line: 5)
        #expect(
            String(decoding: lineOnly.json, as: UTF8.self)
                == #"{"error":"duplicate id \"7\" (first on line 2)","line":5}"#)
        let header = SnapshotFormatError("not RFC 3339", field: "X-Blogstats-Captured-At")
        #expect(
            String(decoding: header.json, as: UTF8.self)
                == #"{"error":"not RFC 3339","field":"X-Blogstats-Captured-At"}"#)
    }

    @Test func formatErrorDescription() {
        #expect(SnapshotFormatError("bad", line: 4, column: 3).description == "bad (line 4, column 3)")
        #expect(SnapshotFormatError("bad", line: 4).description == "bad (line 4)")
        #expect(SnapshotFormatError("bad", column: 3).description == "bad")
        #expect(SnapshotFormatError("bad").description == "bad")
    }
}
