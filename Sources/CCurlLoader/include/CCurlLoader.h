#ifndef CCURL_LOADER_H
#define CCURL_LOADER_H

// libcurl's types and constants only: the functions are reached through pointers that
// ccurl_load finds with dlsym, so the executable does not link libcurl and nothing of it is
// mapped until the first request.
#include <curl/curl.h>
#include <stddef.h>

/// Opens `library` (e.g. "libcurl.so.4") with dlopen, finds the functions below and runs
/// curl_global_init. Returns 0 on success; otherwise writes the reason into `reason`.
/// Not thread-safe: the Swift side calls it exactly once.
int ccurl_load(const char *library, char *reason, size_t capacity);

CURL *ccurl_easy_init(void);
void ccurl_easy_cleanup(CURL *handle);
void ccurl_easy_reset(CURL *handle);
CURLcode ccurl_easy_perform(CURL *handle);
const char *ccurl_easy_strerror(CURLcode code);
const char *ccurl_version(void);
struct curl_slist *ccurl_slist_append(struct curl_slist *list, const char *line);
void ccurl_slist_free_all(struct curl_slist *list);

// Typed forms of the variadic curl_easy_setopt and curl_easy_getinfo (Swift cannot call those).
typedef size_t (*ccurl_data_callback)(char *data, size_t size, size_t count, void *context);
typedef int (*ccurl_progress_callback)(
    void *context, curl_off_t download_total, curl_off_t downloaded, curl_off_t upload_total, curl_off_t uploaded);

CURLcode ccurl_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode ccurl_setopt_offset(CURL *handle, CURLoption option, curl_off_t value);
CURLcode ccurl_setopt_string(CURL *handle, CURLoption option, const char *value);
CURLcode ccurl_setopt_pointer(CURL *handle, CURLoption option, const void *value);
CURLcode ccurl_setopt_data_callback(CURL *handle, CURLoption option, ccurl_data_callback callback);
CURLcode ccurl_setopt_progress_callback(CURL *handle, CURLoption option, ccurl_progress_callback callback);
CURLcode ccurl_getinfo_long(CURL *handle, CURLINFO info, long *value);
CURLcode ccurl_getinfo_offset(CURL *handle, CURLINFO info, curl_off_t *value);

#endif
