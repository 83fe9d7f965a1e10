#include "CSampleBlocks.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

static size_t put_varint(uint8_t *out, uint64_t value) {
    size_t n = 0;
    while (value >= 0x80) {
        out[n++] = (uint8_t)(value | 0x80);
        value >>= 7;
    }
    out[n++] = (uint8_t)value;
    return n;
}

/// 0 at the end of the block, -1 for a varint that runs past it or over 64 bits.
static int get_varint(const uint8_t **next, const uint8_t *end, uint64_t *value) {
    uint64_t result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (*next >= end) return -1;
        uint8_t byte = *(*next)++;
        result |= (uint64_t)(byte & 0x7f) << shift;
        if (!(byte & 0x80)) {
            *value = result;
            return 1;
        }
    }
    return -1;
}

static uint64_t zigzag(int64_t value) { return ((uint64_t)value << 1) ^ (uint64_t)(value >> 63); }

static int64_t unzigzag(uint64_t value) { return (int64_t)(value >> 1) ^ -(int64_t)(value & 1); }

/// The rise a present sample adds to the running total unless told otherwise.
static int64_t default_gain(int64_t known, int64_t views) {
    if (known < 0) return views;
    return views > known ? views - known : 0;
}

enum { KIND_RISE_ONE, KIND_RISE, KIND_PRESENT, KIND_ABSENT, KIND_ABSENT_TOTAL, KIND_COUNT };

size_t blogstats_block_encode(
    uint8_t *out, size_t count, const int64_t *times, const int64_t *views, const int64_t *totals) {
    size_t length = 0;
    int64_t previous_time = count > 0 ? times[0] : 0;
    int64_t known = -1;
    int64_t total = 0;
    for (size_t i = 0; i < count; i++) {
        int64_t step = times[i] - previous_time;
        previous_time = times[i];
        int64_t minutes = (step + 30) / 60;
        int64_t remainder = step - minutes * 60;
        int64_t delta = totals[i] - total;
        total = totals[i];
        int64_t rise = 0;
        int kind;
        if (views[i] >= 0) {
            rise = views[i] - (known < 0 ? 0 : known);
            if (delta != default_gain(known, views[i]) || rise < 0) {
                kind = KIND_PRESENT;
            } else {
                kind = rise == 1 ? KIND_RISE_ONE : KIND_RISE;
            }
            known = views[i];
        } else {
            kind = delta != 0 ? KIND_ABSENT_TOTAL : KIND_ABSENT;
        }
        uint64_t head = (uint64_t)minutes << 4 | (uint64_t)(remainder != 0) << 3 | (uint64_t)kind;
        length += put_varint(out + length, head);
        if (remainder != 0) length += put_varint(out + length, zigzag(remainder));
        switch (kind) {
        case KIND_RISE: length += put_varint(out + length, (uint64_t)rise); break;
        case KIND_PRESENT:
            length += put_varint(out + length, zigzag(rise));
            length += put_varint(out + length, zigzag(delta));
            break;
        case KIND_ABSENT_TOTAL: length += put_varint(out + length, zigzag(delta)); break;
        default: break;
        }
    }
    return length;
}

void blogstats_block_begin(blogstats_block_cursor *cursor, const void *data, size_t length, int64_t t0) {
    cursor->next = data;
    cursor->end = cursor->next + (data ? length : 0);
    cursor->t = t0;
    cursor->views = -1;
    cursor->total = 0;
    cursor->known = -1;
}

int blogstats_block_next(blogstats_block_cursor *cursor) {
    if (cursor->next >= cursor->end) return 0;
    uint64_t head, remainder = 0, first = 0, second = 0;
    if (get_varint(&cursor->next, cursor->end, &head) < 0) return -1;
    unsigned kind = head & 7;
    if (kind >= KIND_COUNT) return -1;
    if ((head & 8) && get_varint(&cursor->next, cursor->end, &remainder) < 0) return -1;
    if ((kind == KIND_RISE || kind == KIND_PRESENT || kind == KIND_ABSENT_TOTAL)
        && get_varint(&cursor->next, cursor->end, &first) < 0)
        return -1;
    if (kind == KIND_PRESENT && get_varint(&cursor->next, cursor->end, &second) < 0) return -1;
    cursor->t += (int64_t)(head >> 4) * 60 + unzigzag(remainder);
    int64_t base = cursor->known < 0 ? 0 : cursor->known;
    switch (kind) {
    case KIND_RISE_ONE:
    case KIND_RISE: {
        int64_t views = base + (kind == KIND_RISE_ONE ? 1 : (int64_t)first);
        cursor->total += default_gain(cursor->known, views);
        cursor->views = cursor->known = views;
        break;
    }
    case KIND_PRESENT: {
        int64_t views = base + unzigzag(first);
        if (views < 0) return -1;
        cursor->total += unzigzag(second);
        cursor->views = cursor->known = views;
        break;
    }
    case KIND_ABSENT_TOTAL: cursor->total += unzigzag(first); /* fall through */
    default: cursor->views = -1; break;
    }
    return 1;
}

// MARK: - SQL functions

static int begin_from_values(sqlite3_context *context, sqlite3_value **argv, blogstats_block_cursor *cursor) {
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return 0;
    const void *data = sqlite3_value_blob(argv[0]);
    int length = sqlite3_value_bytes(argv[0]);
    blogstats_block_begin(cursor, data, (size_t)length, sqlite3_value_int64(argv[1]));
    (void)context;
    return 1;
}

static void corrupt(sqlite3_context *context) { sqlite3_result_error(context, "corrupt sample block", -1); }

/// bs_at(data, t0, x, field)
static void block_at(sqlite3_context *context, int argc, sqlite3_value **argv) {
    (void)argc;
    blogstats_block_cursor cursor;
    if (!begin_from_values(context, argv, &cursor)) return;
    sqlite3_int64 before = sqlite3_value_int64(argv[2]);
    int field = sqlite3_value_int(argv[3]);
    int found = 0;
    int64_t t = 0, views = -1, total = 0, known = -1;
    int status;
    while ((status = blogstats_block_next(&cursor)) == 1 && cursor.t < before) {
        found = 1;
        t = cursor.t;
        views = cursor.views;
        total = cursor.total;
        known = cursor.known;
    }
    if (status < 0) return corrupt(context);
    if (!found) return;
    switch (field) {
    case 0: sqlite3_result_int64(context, t); break;
    case 1: sqlite3_result_int64(context, views); break;
    case 2: sqlite3_result_int64(context, total); break;
    default:
        if (known >= 0) sqlite3_result_int64(context, known);
        break;
    }
}

/// bs_after(data, t0, x)
static void block_after(sqlite3_context *context, int argc, sqlite3_value **argv) {
    (void)argc;
    blogstats_block_cursor cursor;
    if (!begin_from_values(context, argv, &cursor)) return;
    sqlite3_int64 after = sqlite3_value_int64(argv[2]);
    int status;
    while ((status = blogstats_block_next(&cursor)) == 1) {
        if (cursor.t > after && cursor.views >= 0) return sqlite3_result_int64(context, cursor.t);
    }
    if (status < 0) corrupt(context);
}

// MARK: - bs_rows(data, t0)

enum { COLUMN_T, COLUMN_VIEWS, COLUMN_TOTAL, COLUMN_DATA, COLUMN_T0 };

typedef struct {
    sqlite3_vtab_cursor base;
    uint8_t *copy;
    blogstats_block_cursor block;
    sqlite3_int64 row;
    int done;
} rows_cursor;

static int rows_connect(
    sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **table, char **error) {
    (void)aux, (void)argc, (void)argv, (void)error;
    int status = sqlite3_declare_vtab(db, "CREATE TABLE x(t, views, gained_total, data HIDDEN, t0 HIDDEN)");
    if (status != SQLITE_OK) return status;
    *table = sqlite3_malloc(sizeof(sqlite3_vtab));
    if (!*table) return SQLITE_NOMEM;
    memset(*table, 0, sizeof(sqlite3_vtab));
    sqlite3_vtab_config(db, SQLITE_VTAB_INNOCUOUS);
    return SQLITE_OK;
}

static int rows_disconnect(sqlite3_vtab *table) {
    sqlite3_free(table);
    return SQLITE_OK;
}

static int rows_open(sqlite3_vtab *table, sqlite3_vtab_cursor **cursor) {
    (void)table;
    rows_cursor *rows = sqlite3_malloc(sizeof(rows_cursor));
    if (!rows) return SQLITE_NOMEM;
    memset(rows, 0, sizeof(rows_cursor));
    rows->done = 1;
    *cursor = &rows->base;
    return SQLITE_OK;
}

static int rows_close(sqlite3_vtab_cursor *cursor) {
    rows_cursor *rows = (rows_cursor *)cursor;
    free(rows->copy);
    sqlite3_free(rows);
    return SQLITE_OK;
}

static int rows_next(sqlite3_vtab_cursor *cursor) {
    rows_cursor *rows = (rows_cursor *)cursor;
    int status = blogstats_block_next(&rows->block);
    if (status < 0) {
        cursor->pVtab->zErrMsg = sqlite3_mprintf("corrupt sample block");
        return SQLITE_CORRUPT;
    }
    rows->done = status == 0;
    rows->row++;
    return SQLITE_OK;
}

static int rows_filter(
    sqlite3_vtab_cursor *cursor, int plan, const char *planName, int argc, sqlite3_value **argv) {
    (void)planName;
    rows_cursor *rows = (rows_cursor *)cursor;
    free(rows->copy);
    rows->copy = NULL;
    rows->row = 0;
    rows->done = 1;
    if (plan != 1 || argc != 2 || sqlite3_value_type(argv[0]) == SQLITE_NULL) return SQLITE_OK;
    // The argument lives only as long as this call.
    int length = sqlite3_value_bytes(argv[0]);
    const void *data = sqlite3_value_blob(argv[0]);
    rows->copy = malloc(length > 0 ? (size_t)length : 1);
    if (!rows->copy) return SQLITE_NOMEM;
    if (length > 0) memcpy(rows->copy, data, (size_t)length);
    blogstats_block_begin(&rows->block, rows->copy, (size_t)length, sqlite3_value_int64(argv[1]));
    return rows_next(cursor);
}

static int rows_eof(sqlite3_vtab_cursor *cursor) { return ((rows_cursor *)cursor)->done; }

static int rows_column(sqlite3_vtab_cursor *cursor, sqlite3_context *context, int column) {
    rows_cursor *rows = (rows_cursor *)cursor;
    switch (column) {
    case COLUMN_T: sqlite3_result_int64(context, rows->block.t); break;
    case COLUMN_VIEWS:
        if (rows->block.views >= 0) sqlite3_result_int64(context, rows->block.views);
        break;
    case COLUMN_TOTAL: sqlite3_result_int64(context, rows->block.total); break;
    default: break;
    }
    return SQLITE_OK;
}

static int rows_rowid(sqlite3_vtab_cursor *cursor, sqlite_int64 *rowid) {
    *rowid = ((rows_cursor *)cursor)->row;
    return SQLITE_OK;
}

/// Usable only with both hidden arguments given; then it is cheap, and its rows come in time order.
static int rows_best_index(sqlite3_vtab *table, sqlite3_index_info *info) {
    (void)table;
    int data = -1, t0 = -1;
    for (int i = 0; i < info->nConstraint; i++) {
        const struct sqlite3_index_constraint *constraint = &info->aConstraint[i];
        if (constraint->op != SQLITE_INDEX_CONSTRAINT_EQ) continue;
        if (!constraint->usable) {
            if (constraint->iColumn == COLUMN_DATA || constraint->iColumn == COLUMN_T0) return SQLITE_CONSTRAINT;
            continue;
        }
        if (constraint->iColumn == COLUMN_DATA) data = i;
        if (constraint->iColumn == COLUMN_T0) t0 = i;
    }
    if (data < 0 || t0 < 0) {
        info->idxNum = 0;
        info->estimatedCost = 1e12;
        return SQLITE_OK;
    }
    info->aConstraintUsage[data].argvIndex = 1;
    info->aConstraintUsage[data].omit = 1;
    info->aConstraintUsage[t0].argvIndex = 2;
    info->aConstraintUsage[t0].omit = 1;
    info->idxNum = 1;
    info->estimatedCost = 100;
    info->estimatedRows = 100;
    if (info->nOrderBy == 1 && info->aOrderBy[0].iColumn == COLUMN_T && !info->aOrderBy[0].desc) {
        info->orderByConsumed = 1;
    }
    return SQLITE_OK;
}

static sqlite3_module rows_module = {
    .iVersion = 0,
    .xConnect = rows_connect,
    .xBestIndex = rows_best_index,
    .xDisconnect = rows_disconnect,
    .xOpen = rows_open,
    .xClose = rows_close,
    .xFilter = rows_filter,
    .xNext = rows_next,
    .xEof = rows_eof,
    .xColumn = rows_column,
    .xRowid = rows_rowid,
};

static int blocks_init(sqlite3 *db, char **error, const sqlite3_api_routines *api) {
    (void)error, (void)api;
    int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
    int status = sqlite3_create_function_v2(db, "bs_at", 4, flags, NULL, block_at, NULL, NULL, NULL);
    if (status == SQLITE_OK) status = sqlite3_create_function_v2(db, "bs_after", 3, flags, NULL, block_after, NULL, NULL, NULL);
    if (status == SQLITE_OK) status = sqlite3_create_module(db, "bs_rows", &rows_module, NULL);
    return status;
}

int blogstats_blocks_register(void) {
    return sqlite3_auto_extension((void (*)(void))blocks_init);
}
