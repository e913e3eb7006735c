/*
 * server/router.c — matching request paths against route patterns (see router.h).
 *
 * The table is small (tens of routes) and each match compares segments left to right, stopping
 * at the first difference, so a linear scan costs well under a microsecond; no trie needed.
 */
#include "server/router.h"

#include <strings.h>

#include <stdio.h>
#include <string.h>

#include "util/error.h"
#include "util/limits.h"

static bool param_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~';
}

/* Match path against pattern; fills params on success. */
static bool match_path(const char *pattern, const char *path, hb_route_params *params)
{
    params->count = 0;
    const char *p = pattern, *s = path;
    while (*p && *s) {
        if (*p != '/' || *s != '/')
            return false;
        p++;
        s++;
        size_t plen = strcspn(p, "/"), slen = strcspn(s, "/");
        if (plen > 1 && p[0] == '{' && p[plen - 1] == '}') {
            if (slen == 0 || slen > HB_ROUTE_PARAM_MAX || params->count == HB_ROUTE_PARAMS_MAX)
                return false;
            for (size_t i = 0; i < slen; i++)
                if (!param_char(s[i]))
                    return false;
            size_t k = params->count++;
            params->names[k] = p + 1;
            params->name_lens[k] = plen - 2;
            memcpy(params->values[k], s, slen);
            params->values[k][slen] = '\0';
        } else if (plen != slen || memcmp(p, s, plen) != 0) {
            return false;
        }
        p += plen;
        s += slen;
    }
    return *p == '\0' && *s == '\0';
}

const hb_route *hb_router_match(const hb_route *routes, size_t count, const char *method,
                                const char *path, hb_route_params *params, bool *path_known,
                                char *allow, size_t allow_size)
{
    *path_known = false;
    allow[0] = '\0';
    if (strlen(path) > HB_HTTP_PATH_MAX)
        return NULL;
    size_t used = 0;
    for (size_t i = 0; i < count; i++) {
        if (!match_path(routes[i].pattern, path, params))
            continue;
        if (strcmp(routes[i].method, method) == 0)
            return &routes[i];
        *path_known = true;
        int n =
            snprintf(allow + used, allow_size - used, "%s%s", used ? ", " : "", routes[i].method);
        if (n > 0 && (size_t)n < allow_size - used)
            used += (size_t)n;
    }
    return NULL;
}

static const hb_media media_types[] = { HB_MEDIA_JSON, HB_MEDIA_CSV };
#define NMEDIA (sizeof media_types / sizeof media_types[0])

const char *hb_media_name(hb_media media)
{
    return media == HB_MEDIA_CSV ? "text/csv" : "application/json";
}

/* Whether type is want, optionally with a charset parameter naming UTF-8. */
static bool media_is(const char *type, const char *want)
{
    size_t n = strlen(want);
    if (strncasecmp(type, want, n) != 0)
        return false;
    const char *p = type + n;
    while (*p == ' ')
        p++;
    if (*p == '\0')
        return true;
    if (*p++ != ';')
        return false;
    while (*p == ' ')
        p++;
    return strcasecmp(p, "charset=utf-8") == 0 || strcasecmp(p, "charset=\"utf-8\"") == 0;
}

hb_media hb_media_match(const char *content_type, unsigned set)
{
    for (size_t i = 0; content_type && i < NMEDIA; i++)
        if ((set & media_types[i]) && media_is(content_type, hb_media_name(media_types[i])))
            return media_types[i];
    return 0;
}

void hb_media_describe(unsigned set, char *out, size_t size)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < NMEDIA; i++) {
        if (!(set & media_types[i]))
            continue;
        int n = snprintf(out + used, size - used, "%s%s", used ? " or " : "",
                         hb_media_name(media_types[i]));
        if (n < 0 || (size_t)n >= size - used)
            return;
        used += (size_t)n;
    }
}

const char *hb_route_param(const hb_route_params *params, const char *name)
{
    size_t len = strlen(name);
    for (size_t i = 0; i < params->count; i++)
        if (params->name_lens[i] == len && memcmp(params->names[i], name, len) == 0)
            return params->values[i];
    return NULL;
}

int hb_router_check_pattern(const char *pattern)
{
    if (pattern[0] != '/')
        return hb_error_set(HB_EINVAL, "pattern '%s' does not start with '/'", pattern);
    size_t segments = 0, params = 0;
    for (const char *p = pattern; *p == '/'; segments++) {
        p++;
        size_t len = strcspn(p, "/");
        if (len == 0)
            return hb_error_set(HB_EINVAL, "pattern '%s' has an empty segment", pattern);
        bool is_param = p[0] == '{';
        for (size_t i = 0; i < len; i++) {
            bool brace = (i == 0 && p[i] == '{') || (i == len - 1 && p[i] == '}' && is_param);
            if (!brace && !param_char(p[i]))
                return hb_error_set(HB_EINVAL, "pattern '%s': bad character '%c'", pattern, p[i]);
        }
        if (is_param && (len < 3 || p[len - 1] != '}'))
            return hb_error_set(HB_EINVAL, "pattern '%s': malformed parameter", pattern);
        params += is_param;
        p += len;
    }
    if (segments > HB_HTTP_SEGMENTS_MAX || params > HB_ROUTE_PARAMS_MAX)
        return hb_error_set(HB_EINVAL, "pattern '%s' has too many segments or parameters", pattern);
    return 0;
}
