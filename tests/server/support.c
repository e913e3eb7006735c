/*
 * tests/server/support.c — see support.h.
 */
#include "support.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/accounts.h"
#include "core/schema.h"
#include "core/signing.h"
#include "harness.h"
#include "healthybay/date.h"
#include "util/buf.h"
#include "warn/alerts.h"
#include "warn/ingest.h"
#include "warn/notify.h"

static const struct {
    const char *code, *name, *jurisdiction;
    hb_org_kind kind;
} world_orgs[] = {
    { "hk-dh", "Department of Health", "HK", HB_ORG_HEALTH_AUTHORITY },
    { "hk-qmh", "Queen Mary Hospital", "HK", HB_ORG_HOSPITAL },
    { "hk-kwh", "Kwong Wah Hospital", "HK", HB_ORG_HOSPITAL },
    { "gd-hc", "Health Commission of Guangdong Province", "GD", HB_ORG_HEALTH_AUTHORITY },
    { "gd-szh", "Shenzhen People's Hospital", "GD", HB_ORG_HOSPITAL },
    { "mo-ssm", "Servicos de Saude", "MO", HB_ORG_HEALTH_AUTHORITY },
};

hb_server *hb_test_server_on(const char *db_url, char base[64])
{
    hb_server_config cfg = {
        .db_url = db_url,
        .listen = "127.0.0.1:0",
        .threads = 2,
        .log = getenv("HB_TEST_SERVER_LOG") ? stderr : NULL,
        .idle_timeout_seconds = 3,
        .header_seconds_max = 2,
        .request_seconds_max = 1,
        .key_dir = hb_test_path("keys"), /* copied: the test's scratch directory */
    };
    hb_server *s;
    CHECK_OK(hb_server_start(&s, &cfg));
    snprintf(base, 64, "http://127.0.0.1:%u", (unsigned)hb_server_port(s));
    return s;
}

void hb_test_world_start(hb_test_world *w)
{
    memset(w, 0, sizeof *w);
    snprintf(w->db_url, sizeof w->db_url, "%s", hb_test_db_url());
    CHECK_OK(hb_store_open(&w->db, w->db_url, HB_STORE_CREATE));
    size_t count, applied;
    const hb_migration *list = hb_schema_migrations(&count);
    CHECK_OK(hb_migrate(w->db, list, count, &applied, NULL, NULL));
    for (size_t i = 0; i < sizeof world_orgs / sizeof world_orgs[0]; i++) {
        hb_org org = { .kind = world_orgs[i].kind };
        snprintf(org.code, sizeof org.code, "%s", world_orgs[i].code);
        snprintf(org.name, sizeof org.name, "%s", world_orgs[i].name);
        snprintf(org.jurisdiction, sizeof org.jurisdiction, "%s", world_orgs[i].jurisdiction);
        CHECK_OK(hb_org_create(w->db, &org));
    }
    w->server = hb_test_server_on(w->db_url, w->base);
    w->curl = curl_easy_init();
    CHECK(w->curl != NULL);
}

void hb_test_world_stop(hb_test_world *w)
{
    curl_easy_cleanup(w->curl);
    hb_server_stop(w->server);
    hb_store_close(w->db);
    memset(w, 0, sizeof *w);
}

void hb_test_world_surveillance(hb_test_world *w)
{
    hb_buf csv;
    hb_buf_init(&csv, 0);
    CHECK_OK(hb_buf_puts(&csv, "date,region,disease,measure,value\n"));
    for (int week = 0; week < 10; week++) {
        char day[HB_DATE_STRLEN];
        hb_date_format(day, hb_date_from_ymd(2019, 1, 6) + 7 * week);
        CHECK_OK(hb_buf_printf(&csv, "%s,810000,influenza,cases,%d\n%s,440000,influenza,cases,%d\n",
                               day, 40 + week * week, day, 300 + 7 * week));
    }
    hb_ingest_options opt = { .source = "test" };
    hb_ingest_report report = { 0 };
    CHECK_OK(hb_ingest_memory(w->db, "seed", hb_buf_cstr(&csv), csv.len, &opt, &report));
    hb_ingest_report_dispose(&report);
    hb_buf_dispose(&csv);

    hb_alert_rules rules;
    hb_alert_rules_init(&rules);
    static const char *const regions[2] = { "810000", "440000" };
    CHECK_OK(hb_store_begin(w->db));
    for (int i = 0; i < 2; i++) {
        hb_series_key key = { regions[i], "influenza", "cases", "all", "all" };
        int64_t id;
        bool raised;
        CHECK_OK(hb_alert_signal(w->db, &rules, &key, "2019-03-03", 7, HB_LEVEL_WARNING,
                                 "above the Farrington threshold", &id, &raised));
    }
    CHECK_OK(hb_store_commit(w->db));

    const char *dir = hb_test_path("keys");
    mkdir(dir, 0700);
    static const char *const js[3] = { "GD", "HK", "MO" };
    CHECK_OK(hb_store_begin(w->db));
    for (int i = 0; i < 3; i++) {
        char id[HB_KEY_ID_HEXLEN + 1];
        CHECK_OK(hb_signing_generate(w->db, dir, js[i], id));
    }
    CHECK_OK(hb_store_commit(w->db));
    hb_date day;
    CHECK_OK(hb_date_parse(&day, "2019-01-13", 10));
    hb_notify_report sent;
    CHECK_OK(hb_notify_daily(w->db, dir, day, &sent));
    CHECK_INT_EQ(sent.sent, 6);
}

long long hb_test_notification_to(hb_test_world *w, const char *jurisdiction)
{
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT MIN(id) FROM hb_notifications WHERE to_jurisdiction = '%s'",
             jurisdiction);
    hb_stmt *st;
    CHECK_OK(hb_store_prepare(w->db, &st, sql));
    CHECK_INT_EQ(hb_stmt_step(st), HB_STORE_ROW);
    long long id = (long long)hb_stmt_int64(st, 0);
    hb_stmt_finalize(st);
    return id;
}

const char *hb_test_token(hb_test_world *w, const char *org, const char *roles)
{
    CHECK(w->ntokens < sizeof w->tokens / sizeof w->tokens[0]);
    hb_roles set;
    CHECK_OK(hb_roles_parse(&set, roles));
    hb_token_info info;
    char *text = w->tokens[w->ntokens++];
    CHECK_OK(hb_token_create(w->db, &info, text, org, set, "test", 1));
    return text;
}

static size_t on_body(char *data, size_t size, size_t n, void *payload)
{
    hb_test_response *r = payload;
    size_t len = size * n;
    char *grown = realloc(r->body, r->len + len + 1);
    if (!grown)
        return 0;
    memcpy(grown + r->len, data, len);
    r->body = grown;
    r->len += len;
    r->body[r->len] = '\0';
    return len;
}

static size_t on_header(char *data, size_t size, size_t n, void *payload)
{
    hb_test_response *r = payload;
    size_t len = size * n, used = strlen(r->headers);
    if (used + len < sizeof r->headers)
        memcpy(r->headers + used, data, len), r->headers[used + len] = '\0';
    return len;
}

void hb_test_call_at(hb_test_world *w, const char *base, hb_test_response *r, const char *method,
                     const char *path, const char *token, const char *body,
                     const char *const *headers)
{
    memset(r, 0, sizeof *r);
    CURL *c = w->curl;
    char url[4096], auth[160];
    snprintf(url, sizeof url, "%s%s", base ? base : w->base, path);
    curl_easy_reset(c);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, r);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, r);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 20L);
    struct curl_slist *list = NULL;
    if (token) {
        snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
        list = curl_slist_append(list, auth);
    }
    bool typed = false;
    for (const char *const *h = headers; h && *h; h++)
        typed = typed || strncasecmp(*h, "Content-Type:", 13) == 0;
    if (body) {
        if (!typed)
            list = curl_slist_append(list, "Content-Type: application/json");
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
    }
    for (const char *const *h = headers; h && *h; h++)
        list = curl_slist_append(list, *h);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, list);
    CURLcode rc = curl_easy_perform(c);
    curl_slist_free_all(list);
    if (rc != CURLE_OK)
        hb_test_fail(__FILE__, __LINE__, "%s %s: %s", method, path, curl_easy_strerror(rc));
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
    if (r->body)
        r->json = json_loadb(r->body, r->len, 0, NULL);
    else
        r->body = calloc(1, 1);
}

void hb_test_call(hb_test_world *w, hb_test_response *r, const char *method, const char *path,
                  const char *token, const char *body, const char *const *headers)
{
    hb_test_call_at(w, NULL, r, method, path, token, body, headers);
}

void hb_test_response_dispose(hb_test_response *r)
{
    free(r->body);
    json_decref(r->json);
    memset(r, 0, sizeof *r);
}

const char *hb_test_header(const hb_test_response *r, const char *name)
{
    static char value[512];
    size_t nlen = strlen(name);
    for (const char *line = r->headers; *line;) {
        const char *end = strstr(line, "\r\n");
        size_t len = end ? (size_t)(end - line) : strlen(line);
        if (len > nlen && line[nlen] == ':' && strncasecmp(line, name, nlen) == 0) {
            const char *v = line + nlen + 1;
            while (*v == ' ')
                v++;
            snprintf(value, sizeof value, "%.*s", (int)(line + len - v), v);
            return value;
        }
        line += len + (end ? 2 : 0);
    }
    return NULL;
}

static int connect_to(const hb_test_world *w)
{
    unsigned port = 0;
    CHECK(sscanf(w->base, "http://127.0.0.1:%u", &port) == 1);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
    inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
    CHECK(fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0);
    return fd;
}

static void sleep_ms(int ms)
{
    struct timespec t = { ms / 1000, (long)(ms % 1000) * 1000000L };
    nanosleep(&t, NULL);
}

/* Read until the peer closes or timeout_ms of silence; *closed = 1 when it closed. */
static const char *read_all(int fd, int timeout_ms, int *closed)
{
    static char got[16384];
    size_t n = 0;
    *closed = 0;
    struct pollfd p = { .fd = fd, .events = POLLIN };
    while (n + 1 < sizeof got && poll(&p, 1, timeout_ms) > 0) {
        ssize_t k = recv(fd, got + n, sizeof got - 1 - n, 0);
        if (k <= 0) {
            *closed = 1;
            break;
        }
        n += (size_t)k;
    }
    got[n] = '\0';
    return got;
}

const char *hb_test_raw(const hb_test_world *w, const char *data, size_t len, int pause_ms,
                        int timeout_ms, int *closed)
{
    int fd = connect_to(w);
    CHECK(send(fd, data, len, MSG_NOSIGNAL) == (ssize_t)len);
    if (pause_ms > 0)
        sleep_ms(pause_ms);
    const char *got = read_all(fd, timeout_ms, closed);
    close(fd);
    return got;
}

int hb_test_trickle(const hb_test_world *w, const char *head, int count, int interval_ms,
                    const char **got)
{
    int fd = connect_to(w), closed = 0;
    CHECK(send(fd, head, strlen(head), MSG_NOSIGNAL) == (ssize_t)strlen(head));
    for (int i = 0; i < count && !closed; i++) {
        sleep_ms(interval_ms);
        struct pollfd p = { .fd = fd, .events = POLLIN };
        char c;
        if (poll(&p, 1, 0) > 0 && recv(fd, &c, 1, MSG_PEEK) <= 0)
            closed = 1;
        else if (send(fd, " ", 1, MSG_NOSIGNAL) != 1)
            closed = 1;
    }
    *got = read_all(fd, 2000, &closed);
    close(fd);
    return closed;
}

long long hb_test_count(hb_test_world *w, const char *sql)
{
    hb_stmt *st;
    CHECK_OK(hb_store_prepare(w->db, &st, sql));
    CHECK_INT_EQ(hb_stmt_step(st), HB_STORE_ROW);
    long long n = (long long)hb_stmt_int64(st, 0);
    hb_stmt_finalize(st);
    return n;
}
