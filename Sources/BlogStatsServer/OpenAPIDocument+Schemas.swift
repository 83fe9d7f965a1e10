extension OpenAPIDocument {
    /// The JSON shapes of every answer: exact property names, closed objects.
    static let schemas = """
        {
          "Time": {"type": "string", "format": "date-time", "description": "RFC 3339, UTC, whole seconds: 2026-12-03T16:20:00Z."},
          "BlogName": {"type": "string", "pattern": "^[A-Za-z0-9._-]{1,100}$"},
          "Count": {"type": "integer", "minimum": 0},
          "Error": {
            "type": "object", "additionalProperties": false, "required": ["error"],
            "description": "Every refusal. line and column (1-based) point into a rejected CSV body; field names the CSV column, header or query parameter at fault.",
            "properties": {
              "error": {"type": "string"},
              "line": {"type": "integer", "minimum": 1},
              "column": {"type": "integer", "minimum": 1},
              "field": {"type": "string"}
            }
          },
          "IngestResult": {
            "oneOf": [
              {"$ref": "#/components/schemas/IngestAnswer"},
              {"type": "array", "minItems": 2, "items": {"$ref": "#/components/schemas/IngestAnswer"}}
            ]
          },
          "IngestAnswer": {
            "type": "object", "additionalProperties": false,
            "required": ["blog", "captured_at", "rows", "changed", "new", "removed", "returned", "resets", "duplicate"],
            "properties": {
              "blog": {"$ref": "#/components/schemas/BlogName"},
              "captured_at": {"$ref": "#/components/schemas/Time"},
              "rows": {"$ref": "#/components/schemas/Count", "description": "Rows in the snapshot (for this blog)."},
              "changed": {"$ref": "#/components/schemas/Count", "description": "Known, present posts whose count moved."},
              "new": {"$ref": "#/components/schemas/Count", "description": "Posts never seen before."},
              "removed": {"$ref": "#/components/schemas/Count", "description": "Posts of the previous snapshot missing from this one."},
              "returned": {"$ref": "#/components/schemas/Count", "description": "Posts back after being missing."},
              "resets": {"$ref": "#/components/schemas/Count", "description": "Counts that went down (a database restored from a backup)."},
              "duplicate": {"type": "boolean", "description": "The same snapshot was already stored at this explicit capture time; nothing was written."}
            }
          },
          "Health": {
            "type": "object", "additionalProperties": false, "required": ["status", "writable", "blogs"],
            "properties": {
              "status": {"enum": ["ok", "unavailable"]},
              "writable": {"type": "boolean"},
              "problem": {"type": "string", "description": "Why the store cannot write (only then)."},
              "blogs": {"type": "array", "items": {"$ref": "#/components/schemas/HealthBlog"}},
              "influx": {"$ref": "#/components/schemas/HealthInflux"}
            }
          },
          "HealthInflux": {
            "type": "object", "additionalProperties": false,
            "description": "The InfluxDB mirror (only with --influx-url).",
            "required": ["target", "mode", "points_written", "failures"],
            "properties": {
              "target": {"type": "string", "description": "Where points go (no secrets)."},
              "mode": {"enum": ["all", "changed"]},
              "pending_snapshots": {"$ref": "#/components/schemas/Count", "description": "Snapshots waiting in the outbox."},
              "pending_rows": {"$ref": "#/components/schemas/Count", "description": "Their rows (the points of mode all)."},
              "parked": {"$ref": "#/components/schemas/Count", "description": "Snapshots InfluxDB refused for good (400), kept and not retried."},
              "oldest_pending": {"$ref": "#/components/schemas/Time"},
              "points_written": {"$ref": "#/components/schemas/Count", "description": "Points InfluxDB accepted since the start."},
              "last_delivery": {"$ref": "#/components/schemas/Time"},
              "failures": {"$ref": "#/components/schemas/Count", "description": "Failed attempts in a row."},
              "last_error": {"type": "string", "description": "Why writes fail, while they do."}
            }
          },
          "HealthBlog": {
            "type": "object", "additionalProperties": false, "required": ["blog", "last_snapshot"],
            "properties": {"blog": {"$ref": "#/components/schemas/BlogName"}, "last_snapshot": {"$ref": "#/components/schemas/Time"}}
          },
          "BlogList": {
            "type": "object", "additionalProperties": false, "required": ["blogs"],
            "properties": {"blogs": {"type": "array", "items": {"$ref": "#/components/schemas/Blog"}}}
          },
          "Blog": {
            "type": "object", "additionalProperties": false, "required": ["blog", "posts", "total_views", "last_snapshot"],
            "properties": {
              "blog": {"$ref": "#/components/schemas/BlogName"},
              "posts": {"$ref": "#/components/schemas/Count", "description": "Posts in the newest snapshot."},
              "total_views": {"$ref": "#/components/schemas/Count", "description": "Their counts added up."},
              "last_snapshot": {"type": ["string", "null"], "format": "date-time"}
            }
          },
          "TopPosts": {
            "type": "object", "additionalProperties": false, "required": ["blog", "from", "to", "previous_from", "posts"],
            "properties": {
              "blog": {"type": "string"},
              "from": {"$ref": "#/components/schemas/Time"},
              "to": {"$ref": "#/components/schemas/Time"},
              "previous_from": {"$ref": "#/components/schemas/Time", "description": "Start of the previous window, which ends at from."},
              "posts": {"type": "array", "items": {"$ref": "#/components/schemas/TopPost"}}
            }
          },
          "TopPost": {
            "type": "object", "additionalProperties": false,
            "required": ["id", "slug", "title", "views", "previous_views", "change", "total", "first_seen", "removed"],
            "properties": {
              "id": {"type": "string"},
              "slug": {"type": "string", "description": "The newest slug (empty for a draft)."},
              "title": {"type": "string", "description": "The newest title, as pushed (escape it before showing it)."},
              "views": {"$ref": "#/components/schemas/Count", "description": "Views gained in [from, to)."},
              "previous_views": {"$ref": "#/components/schemas/Count", "description": "Views gained in [previous_from, from)."},
              "change": {"type": "integer", "description": "views - previous_views."},
              "total": {"type": ["integer", "null"], "minimum": 0, "description": "The count at the window's end; null when the post was missing then."},
              "first_seen": {"$ref": "#/components/schemas/Time"},
              "removed": {"type": "boolean", "description": "Missing at the window's end (total is null)."}
            }
          },
          "BlogSeries": {
            "type": "object", "additionalProperties": false, "required": ["blog", "from", "to", "step", "buckets"],
            "properties": {
              "blog": {"type": "string"},
              "from": {"$ref": "#/components/schemas/Time", "description": "Start of the first bucket."},
              "to": {"$ref": "#/components/schemas/Time", "description": "End of the last bucket."},
              "step": {"type": "integer", "minimum": 60, "description": "Bucket length in seconds (a day bucket across a DST change is 23 or 25 hours)."},
              "buckets": {"type": "array", "items": {"$ref": "#/components/schemas/Bucket"}}
            }
          },
          "PostSeries": {
            "type": "object", "additionalProperties": false,
            "required": ["blog", "id", "first_seen", "from", "to", "step", "buckets", "names", "removed"],
            "properties": {
              "blog": {"type": "string"},
              "id": {"type": "string"},
              "first_seen": {"$ref": "#/components/schemas/Time"},
              "from": {"$ref": "#/components/schemas/Time", "description": "Start of the first bucket."},
              "to": {"$ref": "#/components/schemas/Time", "description": "End of the last bucket."},
              "step": {"type": "integer", "minimum": 60, "description": "Bucket length in seconds."},
              "buckets": {"type": "array", "items": {"$ref": "#/components/schemas/Bucket"}},
              "names": {"type": "array", "items": {"$ref": "#/components/schemas/Name"}, "description": "Slug and title history, oldest first."},
              "removed": {"type": "array", "items": {"$ref": "#/components/schemas/Absence"}, "description": "When the post was missing from the snapshots, oldest first."}
            }
          },
          "Bucket": {
            "type": "object", "additionalProperties": false, "required": ["start", "cumulative", "views"],
            "description": "One bucket [start, next start). A bucket without any snapshot is a gap: cumulative and views are null. The first bucket after a gap carries the views of the whole gap and says how long it was in gap_seconds.",
            "properties": {
              "start": {"$ref": "#/components/schemas/Time"},
              "cumulative": {"type": ["integer", "null"], "minimum": 0, "description": "The count at the bucket's last snapshot; null in a gap or while a post is missing."},
              "views": {"type": ["integer", "null"], "minimum": 0, "description": "Views gained in the bucket (and in the gap before it), never negative; null in a gap."},
              "gap_seconds": {"type": "integer", "minimum": 1, "description": "Only on the first bucket after a gap: the gap's length."},
              "reset": {"const": true, "description": "Only where a post's count went down (a restored backup)."}
            }
          },
          "Name": {
            "type": "object", "additionalProperties": false, "required": ["since", "slug", "title"],
            "properties": {"since": {"$ref": "#/components/schemas/Time"}, "slug": {"type": "string"}, "title": {"type": "string"}}
          },
          "Absence": {
            "type": "object", "additionalProperties": false, "required": ["from", "to"],
            "properties": {
              "from": {"$ref": "#/components/schemas/Time", "description": "The first snapshot without the post."},
              "to": {"type": ["string", "null"], "format": "date-time", "description": "The snapshot it came back in; null while still missing."}
            }
          }
        }
        """
}
