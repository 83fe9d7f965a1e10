import Testing

@testable import BlogStatsMirror

/// Points byte for byte, hostile titles included: what InfluxDB 1.x reads back unchanged.
@Suite struct LineProtocolTests {
    func point(blog: String? = nil, id: String = "abc", slug: String = "s", title: String, views: Int64 = 42) -> String
    {
        var bytes: [UInt8] = []
        LineProtocol.appendPoint(
            prefix: LineProtocol.prefix(blog: blog, id: id, slug: slug, title: title), views: views,
            time: 1_764_778_800,
            to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func theOldSchemaTagsSortedByKey() {
        #expect(point(title: "Hello") == "blog_stats,id=abc,slug=s,title=Hello value=42i 1764778800\n")
        #expect(
            point(blog: "travel", title: "Hello", views: 0)
                == "blog_stats,blog=travel,id=abc,slug=s,title=Hello value=0i 1764778800\n")
        #expect(point(title: "x", views: 9_223_372_036_854_775_807).contains(" value=9223372036854775807i "))
    }

    @Test(arguments: [
        ("a, b", #"a\,\ b"#),
        ("x=1", #"x\=1"#),
        (#"C:\dir\file"#, #"C:\dir\file"#),
        (#"back\,slash"#, #"back\\,slash"#),
        ("say \"hi\"", #"say\ "hi""#),
        ("two\nlines\r\nhere", #"two\ lines\ \ here"#),
        (#"ends with\"#, #"ends\ with"#),
        (#"ends\\"#, "ends"),
        ("Ünïcødé ✓ 日本", #"Ünïcødé\ ✓\ 日本"#),
        ("tab\there", "tab\there"),
    ])
    func hostileTitlesAreEscaped(title: String, escaped: String) {
        #expect(point(title: title) == "blog_stats,id=abc,slug=s,title=\(escaped) value=42i 1764778800\n")
    }

    @Test func emptyTagValuesAreOmitted() {
        #expect(point(slug: "", title: "") == "blog_stats,id=abc value=42i 1764778800\n")
        #expect(point(slug: "", title: #"\"#) == "blog_stats,id=abc value=42i 1764778800\n")
        #expect(point(blog: "", title: "t") == "blog_stats,id=abc,slug=s,title=t value=42i 1764778800\n")
    }

    @Test func theDefaultBlogHasNoBlogTag() {
        #expect(MirrorConfiguration.blogTag("default") == nil)
        #expect(MirrorConfiguration.blogTag("travel") == "travel")
    }

    @Test func integers() {
        for value in [0, 7, 10, 99, 100, 123_456_789, -5, Int64.max, Int64.min] as [Int64] {
            var bytes: [UInt8] = []
            LineProtocol.appendInteger(value, to: &bytes)
            #expect(String(decoding: bytes, as: UTF8.self) == String(value))
        }
    }
}
