import Testing

@testable import BlogStatsHTTP

@Suite struct URIDecodingTests {
    @Test func splitsAndDecodes() {
        let (path, query) = URIDecoding.split("/a%20b/c%2Fd?x=1&name=J%C3%BCrgen+M&x=2&flag&=skip&p=a%2Bb+c")
        #expect(path == "/a b/c/d")
        #expect(query == ["x": "2", "name": "Jürgen M", "flag": "", "p": "a+b c"])
    }

    @Test func plusIsLiteralInThePath() {
        #expect(URIDecoding.split("/a+b").path == "/a+b")
    }

    @Test func malformedEscapesStayLiteral() {
        #expect(URIDecoding.split("/100%").path == "/100%")
        #expect(URIDecoding.split("/%zz%4").path == "/%zz%4")
        #expect(URIDecoding.split("/%ff").path == "/\u{FFFD}", "invalid UTF-8 is replaced, not dropped")
    }

    @Test func absoluteFormAndFragment() {
        let (path, query) = URIDecoding.split("http://example.org/x/y?q=1#frag")
        #expect(path == "/x/y")
        #expect(query == ["q": "1"])
        #expect(URIDecoding.split("http://example.org").path == "/")
    }
}
