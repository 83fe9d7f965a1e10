extension OpenAPIDocument {
    /// Security schemes, parameters, request bodies, headers, responses and schemas.
    static let components = """
        {
          "securitySchemes": {
            "pushToken": {
              "type": "http", "scheme": "bearer",
              "description": "A push token (serve --push-token-file FILE[:BLOG]; bound to BLOG it may push to that blog only). Without one a push is allowed from an address on --allow, or, when neither tokens nor --allow are configured, from loopback only."
            },
            "readToken": {
              "type": "http", "scheme": "bearer",
              "description": "A read token (serve --read-token-file FILE). Not needed by a loopback client of a receiver that listens on loopback only; any other client needs one, and is refused (403) when the receiver has none. A push token is not a read token."
            }
          },
          "parameters": {
            "From": {
              "name": "from", "in": "query", "example": "7d",
              "description": "Start of the window (inclusive): an RFC 3339 time (2026-12-03T16:20:00Z; an offset such as +01:00 is allowed) or a duration before now (90m, 24h, 7d, 2w; units s, m, h, d, w, y; a bare number is seconds). Default: 7 days before to.",
              "schema": {"type": "string"}
            },
            "To": {
              "name": "to", "in": "query", "example": "2026-12-03T16:00:00Z",
              "description": "End of the window (exclusive), in the same forms as from. Default: now. from must be before to.",
              "schema": {"type": "string"}
            },
            "Step": {
              "name": "step", "in": "query", "example": "1h",
              "description": "Bucket length, a duration of at least 60s (5m, 1h, 1d, 1w), making at most 10000 buckets. Default: the smallest of 1m, 5m, 15m, 1h, 6h, 1d, 1w that keeps the window within 400 buckets. Buckets are aligned in the receiver's time zone (serve --timezone, default UTC): day and week steps start at local midnight (weeks on Monday), shorter steps at multiples of the step in local time, so the first bucket may start before from.",
              "schema": {"type": "string"}
            },
            "Blog": {
              "name": "blog", "in": "path", "required": true,
              "description": "The blog's name: ?blog= or the blog column at ingest, else default.",
              "schema": {"type": "string"}
            },
            "PostID": {
              "name": "id", "in": "path", "required": true,
              "description": "The post's id, as in the snapshot's id column.",
              "schema": {"type": "string"}
            },
            "PostsBlog": {
              "name": "blog", "in": "query", "description": "The blog (default: default).",
              "schema": {"type": "string", "default": "default"}
            },
            "Limit": {
              "name": "limit", "in": "query", "description": "How many posts at most.",
              "schema": {"type": "integer", "minimum": 1, "maximum": 10000, "default": 20}
            },
            "Search": {
              "name": "q", "in": "query",
              "description": "Keep only posts whose current slug or title contains this text, ignoring case (for now of ASCII letters only); applied before limit.",
              "schema": {"type": "string"}
            },
            "IngestBlog": {
              "name": "blog", "in": "query",
              "description": "The blog the snapshot belongs to. Default: the blog the push token is bound to, else default. A body with a blog column names the blog of each row instead (a row with an empty cell goes to this one).",
              "schema": {"type": "string"}
            },
            "CapturedAt": {
              "name": "X-Blogstats-Captured-At", "in": "header",
              "description": "The capture time of a replayed snapshot (RFC 3339), at most --max-skew (5m) ahead of the receiver's clock and at most --max-age (90d) old. The same snapshot again at the same explicit time is a no-op (duplicate: true); a different one is 409. Without it the capture time is the time of receipt, and of two pushes in the same second the later wins.",
              "schema": {"type": "string", "format": "date-time"}
            },
            "ContentEncoding": {
              "name": "Content-Encoding", "in": "header",
              "description": "gzip for a compressed body; the inflated body is held to --max-body too.",
              "schema": {"type": "string", "enum": ["gzip", "x-gzip", "identity"]}
            }
          },
          "requestBodies": {
            "Snapshot": {
              "required": true,
              "description": "CSV as sqlite3 .mode csv .header on writes it: RFC 4180, CRLF or LF line ends, quoted cells may hold commas, doubled quotes and line ends, UTF-8 (a BOM is ignored). With a header row the columns are found by name: id and view_count required, slug, title and blog optional, others ignored, any order. Without one they are id,slug,view_count,title. id must not be empty and appear once; view_count is a non-negative integer.",
              "content": {
                "text/csv": {"schema": {"type": "string"}, "example": "id,slug,view_count,title\\r\\nx7kq2,hello-world,1200,Hello world\\r\\n"},
                "text/plain": {"schema": {"type": "string"}},
                "application/csv": {"schema": {"type": "string"}}
              }
            }
          },
          "headers": {
            "RetryAfter": {"description": "Seconds to wait before trying again.", "required": true, "schema": {"type": "integer"}},
            "WWWAuthenticate": {"description": "Always Bearer.", "required": true, "schema": {"type": "string"}}
          },
          "responses": {
            "BadRequest": {"description": "Malformed: bad CSV (line, column and field say where), an empty body, corrupt gzip, a bad capture time, or a bad query parameter (field names it). Nothing is stored.", "content": \(errorContent)},
            "Unauthorized": {"description": "A token is missing or not valid.", "headers": {"WWW-Authenticate": {"$ref": "#/components/headers/WWWAuthenticate"}}, "content": \(errorContent)},
            "Forbidden": {"description": "Not allowed: a pushing address not on --allow (or not loopback), a push token bound to another blog, or a reader that is not a loopback client of a loopback-only receiver while no read token is configured.", "content": \(errorContent)},
            "NotFound": {"description": "No such blog or post.", "content": \(errorContent)},
            "Conflict": {"description": "A different snapshot is already stored for this blog at that explicit capture time.", "content": \(errorContent)},
            "LengthRequired": {"description": "A body sent with neither Content-Length nor chunked Transfer-Encoding.", "content": \(errorContent)},
            "PayloadTooLarge": {"description": "The body is over --max-body (16M by default), as sent or once inflated.", "content": \(errorContent)},
            "UnsupportedMediaType": {"description": "A Content-Type other than text/csv, text/plain or application/csv, or a Content-Encoding other than gzip.", "content": \(errorContent)},
            "ServerError": {"description": "The store failed unexpectedly.", "content": \(errorContent)},
            "Unavailable": {"description": "The store cannot be used now (locked by another process, disk full); nothing was stored.", "headers": {"Retry-After": {"$ref": "#/components/headers/RetryAfter"}}, "content": \(errorContent)}
          },
          "schemas": \(schemas)
        }
        """

    static let errorContent = ##"{"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}"##
}
