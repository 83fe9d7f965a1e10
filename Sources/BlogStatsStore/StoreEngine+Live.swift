import BlogStatsSQLite

extension StoreEngine {
    /// Every blog's newest state, loading the blogs not in memory yet (after a restart, before
    /// their first push): the next push would load them anyway.
    func liveBlogs() throws(StoreError) -> [LiveBlog] {
        do {
            var keys: [(Int64, String)] = []
            let list = try db.prepare("SELECT blog_key, name FROM blogs ORDER BY name")
            while try list.step() { keys.append((list.int64(0), list.text(1))) }
            list.reset()
            var live: [LiveBlog] = []
            for (key, name) in keys {
                if blogs[name] == nil { blogs[name] = try loadNewest(blogKey: key) }
                live.append(LiveBlog(name: name, state: blogs[name]!))
            }
            return live
        } catch let error as SQLiteError {
            throw StoreError(error)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.failed("\(error)")
        }
    }
}
