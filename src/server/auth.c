/*
 * server/auth.c — reading bearer credentials from the Authorization header (RFC 6750 §2.1).
 *
 * Only the syntax is checked here; whether the token is live is core/accounts.h's question.
 */
#include <string.h>
#include <strings.h>

#include "server/http.h"

/* The longest credentials we look at: our tokens are 84 characters. */
#define BEARER_MAX 512

static bool b64token_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
}

int hb_http_bearer(const char *header, const char **token, size_t *len)
{
    if (strncasecmp(header, "Bearer", 6) != 0 || header[6] != ' ')
        return hb_error_set(HB_EAUTH, "the Authorization header is not Bearer credentials");
    const char *p = header + 6;
    while (*p == ' ')
        p++;
    size_t n = 0;
    while (n < BEARER_MAX && b64token_char(p[n]))
        n++;
    size_t pad = 0;
    while (p[n + pad] == '=')
        pad++;
    if (n == 0 || n >= BEARER_MAX || p[n + pad] != '\0')
        return hb_error_set(HB_EAUTH, "malformed bearer credentials");
    *token = p;
    *len = n + pad;
    return 0;
}
