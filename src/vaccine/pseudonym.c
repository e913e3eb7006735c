/*
 * vaccine/pseudonym.c — pseudonymous person identifiers (see hb_vaccine_pseudonym).
 *
 * Why HMAC and not a plain hash: identity-document numbers are few and guessable (an HKID is a
 * letter and seven digits), so SHA-256(number) could be reversed by trying them all. With a
 * secret key per jurisdiction, only the holder of the key can compute or test a pseudonym, and
 * pseudonyms made by different jurisdictions cannot be linked to each other.
 */
#include <ctype.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "util/error.h"
#include "vaccine/vaccine.h"

const char *hb_vaccine_country(const char *jurisdiction)
{
    return strcmp(jurisdiction, "GD") == 0 ? "CN" : jurisdiction;
}

int hb_vaccine_pseudonym(char *out, const char *jurisdiction, const uint8_t *secret,
                         size_t secret_len, const char *document_type, const char *number)
{
    char msg[160];
    size_t n = 0;
    if (secret_len < 16)
        return hb_error_set(HB_EINVAL, "secret: at least 16 bytes are needed");
    if (strcmp(jurisdiction, "GD") && strcmp(jurisdiction, "HK") && strcmp(jurisdiction, "MO"))
        return hb_error_set(HB_EINVAL, "jurisdiction: '%s' is not GD, HK or MO", jurisdiction);
    for (const char *p = document_type; *p && n < 32; p++)
        msg[n++] = (char)toupper((unsigned char)*p);
    msg[n++] = ':';
    size_t start = n;
    for (const char *p = number; *p && n < sizeof msg - 1; p++)
        if (!strchr(" -/()", *p))
            msg[n++] = (char)toupper((unsigned char)*p);
    if (n == start || n == 1)
        return hb_error_set(HB_EINVAL, "document: type and number are both needed");
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned mac_len = 0;
    if (!HMAC(EVP_sha256(), secret, (int)secret_len, (const unsigned char *)msg, n, mac, &mac_len))
        return hb_error_set(HB_ERROR, "HMAC-SHA-256 failed");
    int w = snprintf(out, HB_VACCINE_PERSON_MAX + 1, "%s-", jurisdiction);
    for (int i = 0; i < 16; i++)
        w += snprintf(out + w, (size_t)(HB_VACCINE_PERSON_MAX + 1 - w), "%02x", mac[i]);
    return 0;
}

int hb_vaccine_read_secret(uint8_t *secret, size_t *len, size_t max, const char *path)
{
    FILE *f = fopen(path, "r");
    struct stat st;
    if (!f)
        return hb_error_set(HB_ENOTFOUND, "%s: cannot open the pseudonym secret", path);
    if (fstat(fileno(f), &st) != 0 || (st.st_mode & 077)) {
        fclose(f);
        return hb_error_set(HB_EPERM, "%s: secret readable by group or others (chmod 600)", path);
    }
    char hex[256];
    size_t n = fread(hex, 1, sizeof hex - 1, f);
    fclose(f);
    hex[n] = '\0';
    while (n && (hex[n - 1] == '\n' || hex[n - 1] == '\r'))
        hex[--n] = '\0';
    if (n % 2 || n / 2 > max || n < 32)
        return hb_error_set(HB_EINVAL, "%s: not a hex secret of 16 to %zu bytes", path, max);
    for (size_t i = 0; i < n / 2; i++) {
        unsigned v;
        if (!isxdigit((unsigned char)hex[2 * i]) || !isxdigit((unsigned char)hex[2 * i + 1]) ||
            sscanf(hex + 2 * i, "%2x", &v) != 1)
            return hb_error_set(HB_EINVAL, "%s: not hexadecimal", path);
        secret[i] = (uint8_t)v;
    }
    *len = n / 2;
    return 0;
}
