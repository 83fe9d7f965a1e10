#include "CSQLiteReadAhead.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

const char *const blogstats_readahead_vfs_name = "blogstats-readahead";

typedef struct {
    sqlite3_file base;         // our methods
    sqlite3_file *real;        // the default VFS's file, allocated right after this struct
    int enabled;               // main database files only
    unsigned char *buffer;     // `window` bytes, allocated on first read-ahead
    sqlite3_int64 start;       // file offset of buffer[0]
    int length;                // valid bytes in buffer (0: empty)
    sqlite3_int64 lastOffset;  // the previous read, to see a forward scan
} ReadAheadFile;

static sqlite3_vfs vfs;
static sqlite3_vfs *realVFS;
static int windowBytes;
/// One table per version of the real file's methods (1: plain, 2: + WAL, 3: + mmap), so that
/// SQLite never calls a method the real file does not have.
static sqlite3_io_methods methods[3];
static pthread_mutex_t registerLock = PTHREAD_MUTEX_INITIALIZER;
static int registered;

#define REAL(file) (((ReadAheadFile *)(file))->real)

static void drop(sqlite3_file *file) { ((ReadAheadFile *)file)->length = 0; }

static int raClose(sqlite3_file *file) {
    ReadAheadFile *self = (ReadAheadFile *)file;
    int status = SQLITE_OK;
    if (self->real->pMethods) status = self->real->pMethods->xClose(self->real);
    free(self->buffer);
    self->buffer = NULL;
    self->length = 0;
    return status;
}

static int raRead(sqlite3_file *file, void *out, int amount, sqlite3_int64 offset) {
    ReadAheadFile *self = (ReadAheadFile *)file;
    sqlite3_file *real = self->real;
    if (!self->enabled || amount <= 0 || amount > windowBytes / 4) {
        return real->pMethods->xRead(real, out, amount, offset);
    }
    if (self->length > 0 && offset >= self->start && offset + amount <= self->start + self->length) {
        memcpy(out, self->buffer + (offset - self->start), (size_t)amount);
        self->lastOffset = offset;
        return SQLITE_OK;
    }
    // Read ahead only while the reads move forward (a scan); a lookup reads just its page.
    int forward = offset > self->lastOffset && offset - self->lastOffset <= windowBytes;
    self->lastOffset = offset;
    if (!forward) return real->pMethods->xRead(real, out, amount, offset);
    sqlite3_int64 size = 0;
    if (real->pMethods->xFileSize(real, &size) != SQLITE_OK || offset + amount > size) {
        return real->pMethods->xRead(real, out, amount, offset);
    }
    sqlite3_int64 available = size - offset;
    int want = available < windowBytes ? (int)available : windowBytes;
    if (!self->buffer) {
        self->buffer = malloc((size_t)windowBytes);
        if (!self->buffer) return real->pMethods->xRead(real, out, amount, offset);
    }
    self->length = 0;
    int status = real->pMethods->xRead(real, self->buffer, want, offset);
    if (status != SQLITE_OK) return real->pMethods->xRead(real, out, amount, offset);
    self->start = offset;
    self->length = want;
    memcpy(out, self->buffer, (size_t)amount);
    return SQLITE_OK;
}

static int raWrite(sqlite3_file *file, const void *data, int amount, sqlite3_int64 offset) {
    drop(file);
    return REAL(file)->pMethods->xWrite(REAL(file), data, amount, offset);
}
static int raTruncate(sqlite3_file *file, sqlite3_int64 size) {
    drop(file);
    return REAL(file)->pMethods->xTruncate(REAL(file), size);
}
static int raSync(sqlite3_file *file, int flags) { return REAL(file)->pMethods->xSync(REAL(file), flags); }
static int raFileSize(sqlite3_file *file, sqlite3_int64 *size) {
    return REAL(file)->pMethods->xFileSize(REAL(file), size);
}
static int raLock(sqlite3_file *file, int level) {
    drop(file);
    return REAL(file)->pMethods->xLock(REAL(file), level);
}
static int raUnlock(sqlite3_file *file, int level) {
    drop(file);
    return REAL(file)->pMethods->xUnlock(REAL(file), level);
}
static int raCheckReservedLock(sqlite3_file *file, int *out) {
    return REAL(file)->pMethods->xCheckReservedLock(REAL(file), out);
}
static int raFileControl(sqlite3_file *file, int op, void *arg) {
    return REAL(file)->pMethods->xFileControl(REAL(file), op, arg);
}
static int raSectorSize(sqlite3_file *file) { return REAL(file)->pMethods->xSectorSize(REAL(file)); }
static int raDeviceCharacteristics(sqlite3_file *file) {
    return REAL(file)->pMethods->xDeviceCharacteristics(REAL(file));
}
static int raShmMap(sqlite3_file *file, int region, int size, int extend, void volatile **out) {
    drop(file);
    return REAL(file)->pMethods->xShmMap(REAL(file), region, size, extend, out);
}
static int raShmLock(sqlite3_file *file, int offset, int n, int flags) {
    drop(file);
    return REAL(file)->pMethods->xShmLock(REAL(file), offset, n, flags);
}
static void raShmBarrier(sqlite3_file *file) {
    drop(file);
    REAL(file)->pMethods->xShmBarrier(REAL(file));
}
static int raShmUnmap(sqlite3_file *file, int deleteFlag) {
    drop(file);
    return REAL(file)->pMethods->xShmUnmap(REAL(file), deleteFlag);
}
static int raFetch(sqlite3_file *file, sqlite3_int64 offset, int amount, void **out) {
    return REAL(file)->pMethods->xFetch(REAL(file), offset, amount, out);
}
static int raUnfetch(sqlite3_file *file, sqlite3_int64 offset, void *page) {
    return REAL(file)->pMethods->xUnfetch(REAL(file), offset, page);
}

static int raOpen(sqlite3_vfs *self, sqlite3_filename name, sqlite3_file *file, int flags, int *outFlags) {
    (void)self;
    ReadAheadFile *wrapper = (ReadAheadFile *)file;
    memset(wrapper, 0, sizeof(*wrapper));
    wrapper->real = (sqlite3_file *)(wrapper + 1);
    wrapper->lastOffset = -1;
    int status = realVFS->xOpen(realVFS, name, wrapper->real, flags, outFlags);
    if (wrapper->real->pMethods == NULL) {
        file->pMethods = NULL;
        return status;
    }
    // Only a database opened read-only: nothing this connection does can write it.
    wrapper->enabled = (flags & SQLITE_OPEN_MAIN_DB) && (flags & SQLITE_OPEN_READONLY);
    // The same methods as the real file, version for version (WAL, mmap).
    int version = wrapper->real->pMethods->iVersion;
    file->pMethods = &methods[(version < 1 ? 1 : version > 3 ? 3 : version) - 1];
    return status;
}

static int raDelete(sqlite3_vfs *self, const char *name, int syncDir) {
    (void)self;
    return realVFS->xDelete(realVFS, name, syncDir);
}
static int raAccess(sqlite3_vfs *self, const char *name, int flags, int *out) {
    (void)self;
    return realVFS->xAccess(realVFS, name, flags, out);
}
static int raFullPathname(sqlite3_vfs *self, const char *name, int size, char *out) {
    (void)self;
    return realVFS->xFullPathname(realVFS, name, size, out);
}
static void *raDlOpen(sqlite3_vfs *self, const char *name) {
    (void)self;
    return realVFS->xDlOpen(realVFS, name);
}
static void raDlError(sqlite3_vfs *self, int size, char *out) {
    (void)self;
    realVFS->xDlError(realVFS, size, out);
}
static void (*raDlSym(sqlite3_vfs *self, void *handle, const char *symbol))(void) {
    (void)self;
    return realVFS->xDlSym(realVFS, handle, symbol);
}
static void raDlClose(sqlite3_vfs *self, void *handle) {
    (void)self;
    realVFS->xDlClose(realVFS, handle);
}
static int raRandomness(sqlite3_vfs *self, int size, char *out) {
    (void)self;
    return realVFS->xRandomness(realVFS, size, out);
}
static int raSleep(sqlite3_vfs *self, int microseconds) {
    (void)self;
    return realVFS->xSleep(realVFS, microseconds);
}
static int raCurrentTime(sqlite3_vfs *self, double *out) {
    (void)self;
    return realVFS->xCurrentTime(realVFS, out);
}
static int raGetLastError(sqlite3_vfs *self, int size, char *out) {
    (void)self;
    return realVFS->xGetLastError ? realVFS->xGetLastError(realVFS, size, out) : 0;
}
static int raCurrentTimeInt64(sqlite3_vfs *self, sqlite3_int64 *out) {
    (void)self;
    return realVFS->xCurrentTimeInt64(realVFS, out);
}

int blogstats_readahead_register(int window) {
    pthread_mutex_lock(&registerLock);
    int status = SQLITE_OK;
    if (!registered) {
        status = sqlite3_initialize();
        realVFS = status == SQLITE_OK ? sqlite3_vfs_find(NULL) : NULL;
        if (!realVFS || realVFS->iVersion < 2) {
            status = status == SQLITE_OK ? SQLITE_ERROR : status;
        } else {
            windowBytes = window < 65536 ? 65536 : window;
            methods[2] = (sqlite3_io_methods){
                .iVersion = 3,
                .xClose = raClose,
                .xRead = raRead,
                .xWrite = raWrite,
                .xTruncate = raTruncate,
                .xSync = raSync,
                .xFileSize = raFileSize,
                .xLock = raLock,
                .xUnlock = raUnlock,
                .xCheckReservedLock = raCheckReservedLock,
                .xFileControl = raFileControl,
                .xSectorSize = raSectorSize,
                .xDeviceCharacteristics = raDeviceCharacteristics,
                .xShmMap = raShmMap,
                .xShmLock = raShmLock,
                .xShmBarrier = raShmBarrier,
                .xShmUnmap = raShmUnmap,
                .xFetch = raFetch,
                .xUnfetch = raUnfetch,
            };
            methods[1] = methods[2];
            methods[1].iVersion = 2;
            methods[1].xFetch = NULL;
            methods[1].xUnfetch = NULL;
            methods[0] = methods[1];
            methods[0].iVersion = 1;
            methods[0].xShmMap = NULL;
            methods[0].xShmLock = NULL;
            methods[0].xShmBarrier = NULL;
            methods[0].xShmUnmap = NULL;
            vfs = (sqlite3_vfs){
                .iVersion = 2,
                .szOsFile = (int)sizeof(ReadAheadFile) + realVFS->szOsFile,
                .mxPathname = realVFS->mxPathname,
                .zName = blogstats_readahead_vfs_name,
                .xOpen = raOpen,
                .xDelete = raDelete,
                .xAccess = raAccess,
                .xFullPathname = raFullPathname,
                .xDlOpen = raDlOpen,
                .xDlError = raDlError,
                .xDlSym = raDlSym,
                .xDlClose = raDlClose,
                .xRandomness = raRandomness,
                .xSleep = raSleep,
                .xCurrentTime = raCurrentTime,
                .xGetLastError = raGetLastError,
                .xCurrentTimeInt64 = raCurrentTimeInt64,
            };
            status = sqlite3_vfs_register(&vfs, 0);
            registered = status == SQLITE_OK;
        }
    }
    pthread_mutex_unlock(&registerLock);
    return status;
}
