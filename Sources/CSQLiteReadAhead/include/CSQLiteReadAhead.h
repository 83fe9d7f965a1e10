#ifndef BLOGSTATS_CSQLITEREADAHEAD_H
#define BLOGSTATS_CSQLITEREADAHEAD_H

/// Registers (once; later calls are no-ops) the SQLite VFS "blogstats-readahead": the default
/// VFS, except that a main database file read forward page after page is read `window` bytes
/// at a time into a private buffer and later pages are served from it. A table scan then costs
/// one read(2) per window instead of one per page. The buffer is dropped whenever the file's
/// locks change (each transaction) and on any write, so it never outlives the lock that keeps
/// the file from changing. Not a mapping: the pages never count into the process's RSS.
/// Returns 0 (SQLITE_OK) or an SQLite error code.
int blogstats_readahead_register(int window);

/// The name to pass to sqlite3_open_v2.
extern const char *const blogstats_readahead_vfs_name;

#endif
