/// One row of WriteFreely's `posts` table, with the columns the receiver never sees too.
struct WriteFreelyPost {
    var id: String
    /// NULL for drafts and anonymous posts.
    var slug: String?
    /// NULL for drafts and anonymous posts; else `collections.id`.
    var collectionID: Int?
    /// NULL for anonymous posts.
    var ownerID: Int?
    var views: Int
    var title: String
    var content: String
    var created = "2026-01-15 09:30:00"
}
