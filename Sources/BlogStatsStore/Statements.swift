import BlogStatsSQLite

/// The prepared statements of the write path, compiled once per connection.
final class Statements {
    let insertBlog: Statement
    let findBlog: Statement
    let insertPost: Statement
    let lowerFirstSeen: Statement
    let postsOfBlog: Statement
    let insertSample: Statement
    let deleteSample: Statement
    let insertName: Statement
    let deleteName: Statement
    let nameAtOrBefore: Statement
    let insertSnapshot: Statement
    let insertHash: Statement
    let snapshotAt: Statement
    let deleteSnapshot: Statement
    let deleteHash: Statement
    let neighbours: Statement
    let setGained: Statement
    let addGained: Statement
    let samplesFrom: Statement
    let setSampleTotal: Statement
    let runningTotalsFrom: Statement
    let newestTotal: Statement
    let firstSnapshot: Statement
    let forgetPostsWithoutSamples: Statement
    let moveFirstSeen: Statement
    let deleteSamplesAt: Statement
    let deleteNamesAt: Statement
    let queueOutbox: Statement

    init(_ db: Database) throws(SQLiteError) {
        insertBlog = try db.prepare("INSERT INTO blogs(name) VALUES (?1)")
        findBlog = try db.prepare("SELECT blog_key FROM blogs WHERE name = ?1")
        insertPost = try db.prepare("INSERT INTO posts(blog_key, id, first_seen) VALUES (?1, ?2, ?3)")
        lowerFirstSeen = try db.prepare("UPDATE posts SET first_seen = ?2 WHERE post_key = ?1 AND first_seen > ?2")
        postsOfBlog = try db.prepare("SELECT post_key, id FROM posts WHERE blog_key = ?1")
        insertSample = try db.prepare(
            "INSERT OR REPLACE INTO samples(post_key, t, views, gained_total) VALUES (?1, ?2, ?3, ?4)")
        deleteSample = try db.prepare("DELETE FROM samples WHERE post_key = ?1 AND t = ?2")
        insertName = try db.prepare("INSERT OR REPLACE INTO names(post_key, t, slug, title) VALUES (?1, ?2, ?3, ?4)")
        deleteName = try db.prepare("DELETE FROM names WHERE post_key = ?1 AND t = ?2")
        nameAtOrBefore = try db.prepare(
            "SELECT t, slug, title FROM names WHERE post_key = ?1 AND t <= ?2 ORDER BY t DESC LIMIT 1")
        insertSnapshot = try db.prepare(
            """
            INSERT INTO snapshots(blog_key, t, rows, total_views, gained, gained_total)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6)
            """
        )
        insertHash = try db.prepare("INSERT INTO snapshot_hashes(blog_key, t, hash) VALUES (?1, ?2, ?3)")
        snapshotAt = try db.prepare(
            """
            SELECT (SELECT hash FROM snapshot_hashes h WHERE h.blog_key = s.blog_key AND h.t = s.t)
            FROM snapshots s WHERE s.blog_key = ?1 AND s.t = ?2
            """)
        deleteSnapshot = try db.prepare("DELETE FROM snapshots WHERE blog_key = ?1 AND t = ?2")
        deleteHash = try db.prepare("DELETE FROM snapshot_hashes WHERE blog_key = ?1 AND t = ?2")
        neighbours = try db.prepare(
            """
            SELECT (SELECT max(t) FROM snapshots WHERE blog_key = ?1 AND t < ?2),
                   (SELECT min(t) FROM snapshots WHERE blog_key = ?1 AND t > ?2),
                   (SELECT max(t) FROM snapshots WHERE blog_key = ?1)
            """)
        setGained = try db.prepare("UPDATE snapshots SET gained = ?3 WHERE blog_key = ?1 AND t = ?2")
        addGained = try db.prepare("UPDATE snapshots SET gained = gained + ?3 WHERE blog_key = ?1 AND t = ?2")
        forgetPostsWithoutSamples = try db.prepare(
            """
            DELETE FROM posts WHERE blog_key = ?1 AND first_seen = ?2
              AND NOT EXISTS (SELECT 1 FROM samples s WHERE s.post_key = posts.post_key)
            """)
        moveFirstSeen = try db.prepare(
            """
            UPDATE posts SET first_seen =
                (SELECT min(t) FROM samples s WHERE s.post_key = posts.post_key AND s.views IS NOT NULL)
            WHERE blog_key = ?1 AND first_seen = ?2
              AND NOT EXISTS (SELECT 1 FROM samples s WHERE s.post_key = posts.post_key AND s.t = ?2)
            """)
        samplesFrom = try db.prepare(
            "SELECT t, views, gained_total FROM samples WHERE post_key = ?1 AND t >= ?2 ORDER BY t")
        setSampleTotal = try db.prepare("UPDATE samples SET gained_total = ?3 WHERE post_key = ?1 AND t = ?2")
        runningTotalsFrom = try db.prepare(
            """
            UPDATE snapshots SET gained_total = running.total FROM (
                SELECT t, sum(gained) OVER (ORDER BY t) + coalesce(
                    (SELECT p.gained_total FROM snapshots p WHERE p.blog_key = ?1 AND p.t < ?2 ORDER BY p.t DESC LIMIT 1),
                    0) AS total
                FROM snapshots WHERE blog_key = ?1 AND t >= ?2
            ) AS running
            WHERE snapshots.blog_key = ?1 AND snapshots.t = running.t
            """)
        newestTotal = try db.prepare(
            "SELECT gained_total FROM snapshots WHERE blog_key = ?1 ORDER BY t DESC LIMIT 1")
        firstSnapshot = try db.prepare("SELECT min(t) FROM snapshots WHERE blog_key = ?1")
        deleteSamplesAt = try db.prepare(
            "DELETE FROM samples WHERE t = ?2 AND post_key IN (SELECT post_key FROM posts WHERE blog_key = ?1)")
        deleteNamesAt = try db.prepare(
            "DELETE FROM names WHERE t = ?2 AND post_key IN (SELECT post_key FROM posts WHERE blog_key = ?1)")
        // A replaced snapshot (two pushes in one second) is pending again, under a new seq.
        queueOutbox = try db.prepare(
            """
            INSERT INTO outbox(blog_key, t) VALUES (?1, ?2)
            ON CONFLICT(blog_key, t) DO UPDATE SET seq = seq + 1, parked = NULL
            """)
    }
}
