#include "CCurlLoader.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

// The subset of libcurl's easy interface blogstats uses, found at run time.
static struct {
    CURLcode (*global_init)(long flags);
    CURL *(*easy_init)(void);
    void (*easy_cleanup)(CURL *);
    void (*easy_reset)(CURL *);
    CURLcode (*easy_perform)(CURL *);
    const char *(*easy_strerror)(CURLcode);
    char *(*version)(void);
    struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
    void (*slist_free_all)(struct curl_slist *);
    CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
    CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
} curl;

static const char *loaded_name = "libcurl";

static int find(void *library, const char *name, void **slot, char *reason, size_t capacity) {
    *slot = dlsym(library, name);
    if (*slot == NULL) {
        snprintf(reason, capacity, "%s has no function %s", loaded_name, name);
        return -1;
    }
    return 0;
}

int ccurl_load(const char *name, char *reason, size_t capacity) {
    void *library = dlopen(name, RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) {
        const char *error = dlerror();
        snprintf(reason, capacity, "%s", error != NULL ? error : "dlopen failed");
        return -1;
    }
    loaded_name = name;
    if (find(library, "curl_global_init", (void **)&curl.global_init, reason, capacity)
        || find(library, "curl_easy_init", (void **)&curl.easy_init, reason, capacity)
        || find(library, "curl_easy_cleanup", (void **)&curl.easy_cleanup, reason, capacity)
        || find(library, "curl_easy_reset", (void **)&curl.easy_reset, reason, capacity)
        || find(library, "curl_easy_perform", (void **)&curl.easy_perform, reason, capacity)
        || find(library, "curl_easy_strerror", (void **)&curl.easy_strerror, reason, capacity)
        || find(library, "curl_version", (void **)&curl.version, reason, capacity)
        || find(library, "curl_slist_append", (void **)&curl.slist_append, reason, capacity)
        || find(library, "curl_slist_free_all", (void **)&curl.slist_free_all, reason, capacity)
        || find(library, "curl_easy_setopt", (void **)&curl.easy_setopt, reason, capacity)
        || find(library, "curl_easy_getinfo", (void **)&curl.easy_getinfo, reason, capacity)) {
        dlclose(library);
        memset(&curl, 0, sizeof curl);
        return -1;
    }
    CURLcode code = curl.global_init(CURL_GLOBAL_DEFAULT);
    if (code != CURLE_OK) {
        snprintf(reason, capacity, "curl_global_init failed: %s", curl.easy_strerror(code));
        return -1;
    }
    return 0;
}

CURL *ccurl_easy_init(void) { return curl.easy_init(); }
void ccurl_easy_cleanup(CURL *handle) { curl.easy_cleanup(handle); }
void ccurl_easy_reset(CURL *handle) { curl.easy_reset(handle); }
CURLcode ccurl_easy_perform(CURL *handle) { return curl.easy_perform(handle); }
const char *ccurl_easy_strerror(CURLcode code) { return curl.easy_strerror(code); }
const char *ccurl_version(void) { return curl.version(); }

struct curl_slist *ccurl_slist_append(struct curl_slist *list, const char *line) {
    return curl.slist_append(list, line);
}

void ccurl_slist_free_all(struct curl_slist *list) { curl.slist_free_all(list); }

CURLcode ccurl_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl.easy_setopt(handle, option, value);
}

CURLcode ccurl_setopt_offset(CURL *handle, CURLoption option, curl_off_t value) {
    return curl.easy_setopt(handle, option, value);
}

CURLcode ccurl_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl.easy_setopt(handle, option, value);
}

CURLcode ccurl_setopt_pointer(CURL *handle, CURLoption option, const void *value) {
    return curl.easy_setopt(handle, option, value);
}

CURLcode ccurl_setopt_data_callback(CURL *handle, CURLoption option, ccurl_data_callback callback) {
    return curl.easy_setopt(handle, option, callback);
}

CURLcode ccurl_setopt_progress_callback(CURL *handle, CURLoption option, ccurl_progress_callback callback) {
    return curl.easy_setopt(handle, option, callback);
}

CURLcode ccurl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl.easy_getinfo(handle, info, value);
}

CURLcode ccurl_getinfo_offset(CURL *handle, CURLINFO info, curl_off_t *value) {
    return curl.easy_getinfo(handle, info, value);
}
