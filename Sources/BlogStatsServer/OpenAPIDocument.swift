/// The OpenAPI 3.1 document of the HTTP API, served at /api/v1/openapi.json.
enum OpenAPIDocument {
    static let json: String = """
        {"openapi":"3.1.0","info":{"title":"blogstats","version":"0.1.0"},"paths":{}}
        """
}
