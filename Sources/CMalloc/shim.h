#include <malloc.h>

// glibc's allocator tuning; the constants are macros Swift cannot always see.
static inline void cmalloc_tune(int mmap_threshold, int arena_max) {
    mallopt(M_MMAP_THRESHOLD, mmap_threshold);
    mallopt(M_ARENA_MAX, arena_max);
}

static inline void cmalloc_trim(void) { malloc_trim(0); }
