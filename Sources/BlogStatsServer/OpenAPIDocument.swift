/// The OpenAPI 3.1 document of the HTTP API, served at /api/v1/openapi.json.
///
/// Hand-written JSON: the paths here, the reusable parts in `OpenAPIDocument+Components.swift`.
/// `Tests/EndToEndTests/OpenAPIContractTests.swift` checks every real answer against it, so a
/// field added, dropped or renamed on either side fails a test. Prose for humans: docs/api.md.
enum OpenAPIDocument {
    /// The document as served: compact.
    static let json = minified(source)

    static let source = """
        {
          "openapi": "3.1.0",
          "info": \(info),
          "tags": [
            {"name": "ingest", "description": "Snapshots of post view counters, pushed by a collector."},
            {"name": "read", "description": "Blogs, top posts and series (docs/api.md)."},
            {"name": "meta", "description": "Health and this document."}
          ],
          "paths": \(paths),
          "components": \(components)
        }
        """

    /// `text` without the whitespace between JSON tokens.
    static func minified(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        var inString = false
        var escaped = false
        for scalar in text.unicodeScalars {
            if inString {
                if escaped {
                    escaped = false
                } else if scalar == "\\" {
                    escaped = true
                } else if scalar == "\"" {
                    inString = false
                }
            } else if scalar == "\"" {
                inString = true
            } else if scalar == " " || scalar == "\n" || scalar == "\r" || scalar == "\t" {
                continue
            }
            result.append(scalar)
        }
        return String(result)
    }

    static let info = """
        {
          "title": "blogstats receiver",
          "version": "1",
          "summary": "Keeps blog post view counters as time series.",
          "description": "A collector pushes every post's lifetime view counter (id, slug, view_count, title) about once a minute; the receiver stores the counters as time series and serves them back. Every answer is JSON, errors included (schema Error). Times in answers are RFC 3339, UTC, whole seconds. Every GET also answers HEAD (same status and headers, no body). A known path asked with another method is answered 405 with an Allow header; an unknown path, 404."
        }
        """

    static let readSecurity = #"[{"readToken": []}, {}]"#
    static let readErrors = """
        "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/Forbidden"},
              "500": {"$ref": "#/components/responses/ServerError"},
              "503": {"$ref": "#/components/responses/Unavailable"}
        """

    static func ingest(_ operationID: String, _ summary: String) -> String {
        """
        {
            "post": {
              "tags": ["ingest"],
              "operationId": "\(operationID)",
              "summary": "\(summary)",
              "description": "Authenticates, parses and validates the whole body, then stores it in one transaction: nothing is stored unless all of it is valid. Samples are change-only; a post missing from the snapshot is marked removed (it comes back if it reappears); a count that went down is a reset. Snapshots may arrive out of order.",
              "security": [{"pushToken": []}, {}],
              "parameters": [
                {"$ref": "#/components/parameters/IngestBlog"},
                {"$ref": "#/components/parameters/CapturedAt"},
                {"$ref": "#/components/parameters/ContentEncoding"}
              ],
              "requestBody": {"$ref": "#/components/requestBodies/Snapshot"},
              "responses": {
                "200": {
                  "description": "Stored durably (it survives kill -9 and power loss), or already stored at that explicit capture time (duplicate: true). One object; a body whose blog column names several blogs gets an array, one object per blog.",
                  "content": {"application/json": {"schema": {"$ref": "#/components/schemas/IngestResult"}}}
                },
                "400": {"$ref": "#/components/responses/BadRequest"},
                "401": {"$ref": "#/components/responses/Unauthorized"},
                "403": {"$ref": "#/components/responses/Forbidden"},
                "409": {"$ref": "#/components/responses/Conflict"},
                "411": {"$ref": "#/components/responses/LengthRequired"},
                "413": {"$ref": "#/components/responses/PayloadTooLarge"},
                "415": {"$ref": "#/components/responses/UnsupportedMediaType"},
                "500": {"$ref": "#/components/responses/ServerError"},
                "503": {"$ref": "#/components/responses/Unavailable"}
              }
            }
          }
        """
    }

    static let paths = """
        {
          "/stats": \(ingest("pushSnapshot", "Push a snapshot (the path the sqlite3 | curl pipeline uses)")),
          "/api/v1/snapshots": \(ingest("pushSnapshotV1", "Push a snapshot (alias of POST /stats)")),
          "/healthz": {
            "get": {
              "tags": ["meta"],
              "operationId": "health",
              "summary": "Whether the store can write, and each blog's last snapshot",
              "security": [],
              "responses": {
                "200": {"description": "The store is writable.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Health"}}}},
                "503": {
                  "description": "The store cannot write now (problem says why).",
                  "headers": {"Retry-After": {"$ref": "#/components/headers/RetryAfter"}},
                  "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Health"}}}
                }
              }
            }
          },
          "/api/v1/blogs": {
            "get": {
              "tags": ["read"],
              "operationId": "listBlogs",
              "summary": "Blogs with their post count, total views and last snapshot",
              "security": \(readSecurity),
              "responses": {
                "200": {"description": "Every blog, by name.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/BlogList"}}}},
              \(readErrors)
              }
            }
          },
          "/api/v1/posts": {
            "get": {
              "tags": ["read"],
              "operationId": "topPosts",
              "summary": "Top posts by views gained in a window, with the window before it",
              "description": "Posts first seen before the window's end, ranked by views gained in [from, to), then by total, then by id. previous_views are the views gained in the window of equal length just before (from previous_from to from). An unknown blog has no posts.",
              "security": \(readSecurity),
              "parameters": [
                {"$ref": "#/components/parameters/PostsBlog"},
                {"$ref": "#/components/parameters/From"},
                {"$ref": "#/components/parameters/To"},
                {"$ref": "#/components/parameters/Limit"},
                {"$ref": "#/components/parameters/Search"}
              ],
              "responses": {
                "200": {"description": "The ranked posts.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/TopPosts"}}}},
                "400": {"$ref": "#/components/responses/BadRequest"},
                "404": {"$ref": "#/components/responses/NotFound"},
              \(readErrors)
              }
            }
          },
          "/api/v1/blogs/{blog}/series": {
            "get": {
              "tags": ["read"],
              "operationId": "blogSeries",
              "summary": "A blog's buckets: total views at each bucket's end and views gained in it",
              "description": "cumulative is the blog's total at the bucket's last snapshot (a deleted post lowers it); views is the sum of its posts' gains, each floored at 0, so it is never negative and reset is never set on a blog's buckets.",
              "security": \(readSecurity),
              "parameters": [
                {"$ref": "#/components/parameters/Blog"},
                {"$ref": "#/components/parameters/From"},
                {"$ref": "#/components/parameters/To"},
                {"$ref": "#/components/parameters/Step"}
              ],
              "responses": {
                "200": {"description": "The buckets.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/BlogSeries"}}}},
                "400": {"$ref": "#/components/responses/BadRequest"},
              \(readErrors),
                "404": {"$ref": "#/components/responses/NotFound"}
              }
            }
          },
          "/api/v1/posts/{blog}/{id}/series": {
            "get": {
              "tags": ["read"],
              "operationId": "postSeries",
              "summary": "One post's buckets, its name history and when it was missing",
              "description": "A bucket where the post was absent (not yet written, or deleted) has cumulative null and views 0. The post's first count, when it was in the blog's first snapshot, is a baseline that belongs to no bucket; a post first seen later counts from 0. A bucket where the count went down has reset: true; the fall is not subtracted.",
              "security": \(readSecurity),
              "parameters": [
                {"$ref": "#/components/parameters/Blog"},
                {"$ref": "#/components/parameters/PostID"},
                {"$ref": "#/components/parameters/From"},
                {"$ref": "#/components/parameters/To"},
                {"$ref": "#/components/parameters/Step"}
              ],
              "responses": {
                "200": {"description": "The buckets.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PostSeries"}}}},
                "400": {"$ref": "#/components/responses/BadRequest"},
              \(readErrors),
                "404": {"$ref": "#/components/responses/NotFound"}
              }
            }
          },
          "/api/v1/export.csv": {
            "get": {
              "tags": ["read"],
              "operationId": "exportCSV",
              "summary": "Streaming export of snapshots, samples or series",
              "description": "Streams CSV (default) or JSON Lines (format=json, or an Accept header naming JSON) in constant memory. kind=snapshots rebuilds every snapshot in full (time,blog,id,slug,view_count,title; it can be pushed again); kind=samples gives the stored change-only rows (time,blog,id,views,gained_total; empty views: the post was missing); kind=series gives buckets (start,blog,id,cumulative,views,gap_seconds,reset) of a post (id) or of each blog's totals. See docs/export.md.",
              "security": \(readSecurity),
              "parameters": [
                {"name": "kind", "in": "query", "required": false, "schema": {"type": "string", "enum": ["snapshots", "samples", "series"], "default": "snapshots"}},
                {"name": "blog", "in": "query", "required": false, "description": "One blog; default: every blog.", "schema": {"type": "string"}},
                {"name": "id", "in": "query", "required": false, "description": "One post.", "schema": {"type": "string"}},
                {"$ref": "#/components/parameters/From"},
                {"$ref": "#/components/parameters/To"},
                {"$ref": "#/components/parameters/Step"},
                {"name": "format", "in": "query", "required": false, "schema": {"type": "string", "enum": ["csv", "json"], "default": "csv"}}
              ],
              "responses": {
                "200": {"description": "The rows, streamed. A body cut short (no final chunk) means the export failed midway.", "content": {"text/csv": {"schema": {"type": "string"}}, "application/x-ndjson": {"schema": {"type": "string"}}}},
                "400": {"$ref": "#/components/responses/BadRequest"},
              \(readErrors),
                "404": {"$ref": "#/components/responses/NotFound"}
              }
            }
          },
          "/api/v1/openapi.json": {
            "get": {
              "tags": ["meta"],
              "operationId": "openAPIDocument",
              "summary": "This document",
              "security": [],
              "responses": {
                "200": {"description": "The OpenAPI 3.1 document.", "content": {"application/json": {"schema": {"type": "object"}}}}
              }
            }
          }
        }
        """
}
