import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// An SVG (or any XML) document parsed by a real XML parser, so a test sees the structure a
/// browser builds, and markup smuggled in through a title would show up as elements.
final class XMLTree {
    final class Element {
        let name: String
        let attributes: [String: String]
        var children: [Element] = []
        var text = ""
        weak var parent: Element?

        init(name: String, attributes: [String: String], parent: Element?) {
            self.name = name
            self.attributes = attributes
            self.parent = parent
        }

        var classes: [String] { (attributes["class"] ?? "").split(separator: " ").map(String.init) }

        /// Every element below this one, depth first.
        var descendants: [Element] { children.flatMap { [$0] + $0.descendants } }

        /// The text of the `<title>` child (an SVG tooltip).
        var title: String? { children.first { $0.name == "title" }?.text }
    }

    let root: Element

    /// Parses `text`; throws when it is not well-formed XML.
    init(_ text: String) throws {
        let parser = XMLParser(data: Data(text.utf8))
        let builder = Builder()
        parser.delegate = builder
        guard parser.parse(), let root = builder.root else {
            throw XMLTreeError(description: "not well-formed: \(parser.parserError.map { "\($0)" } ?? "?")")
        }
        self.root = root
    }

    /// Elements named `name` (and with class `className`, when given).
    func all(_ name: String, class className: String? = nil) -> [Element] {
        ([root] + root.descendants).filter {
            $0.name == name && (className == nil || $0.classes.contains(className!))
        }
    }

    private final class Builder: NSObject, XMLParserDelegate {
        var root: Element?
        var current: Element?

        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            let element = Element(name: name, attributes: attributes, parent: current)
            if let current { current.children.append(element) } else { root = element }
            current = element
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            current = current?.parent
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            current?.text += string
        }
    }
}

struct XMLTreeError: Error, CustomStringConvertible {
    var description: String
}
