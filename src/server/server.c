/*
 * server/server.c — libmicrohttpd plumbing: start, the access and completion callbacks, graceful
 * stop (see server.h). The request logic is in dispatch.c; this file only moves bytes.
 */
#include "server/server.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netdb.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/schema.h"
#include "core/signing.h"
#include "server/dispatch.h"
#include "server/routes.h"
#include "server/watchdog.h"
#include "util/alloc.h"
#include "util/clock.h"

/* TLS files are small; a chain of a few certificates is a few KiB. */
#define TLS_FILE_MAX (1024 * 1024)

struct hb_server {
    hb_server_ctx ctx;
    struct MHD_Daemon *daemon;
    hb_watchdog *watchdog;
    _Atomic int64_t in_flight;
    uint16_t port;
    char *tls_cert, *tls_key;   /* PEM text; libmicrohttpd keeps pointers to them */
    char timeout_response[512]; /* what the watchdog writes to a stalled plain-HTTP request */
    char key_dir[HB_PATH_MAX];
};

static const char *header_lookup(void *conn, const char *name)
{
    return MHD_lookup_connection_value(conn, MHD_HEADER_KIND, name);
}

static const char *query_lookup(void *conn, const char *name)
{
    return MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, name);
}

static void client_address(struct MHD_Connection *conn, char *out, size_t size)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    snprintf(out, size, "unknown");
    if (!info || !info->client_addr)
        return;
    const struct sockaddr *sa = info->client_addr;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
                  (socklen_t)size);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out,
                  (socklen_t)size);
}

static enum MHD_Result respond(struct MHD_Connection *conn, hb_exchange *x)
{
    hb_response *res = &x->res;
    size_t len = res->body.len;
    char *body = len ? hb_buf_detach(&res->body) : NULL;
    struct MHD_Response *r = MHD_create_response_from_buffer_with_free_callback(len, body, hb_free);
    if (!r) {
        hb_free(body);
        return MHD_NO;
    }
    if (res->content_type[0])
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, res->content_type);
    if (res->location[0])
        MHD_add_response_header(r, MHD_HTTP_HEADER_LOCATION, res->location);
    if (res->extra_name)
        MHD_add_response_header(r, res->extra_name, res->extra_value);
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL,
                            res->cache_control ? res->cache_control : "no-store");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    if (res->security_policy) {
        MHD_add_response_header(r, "Content-Security-Policy", res->security_policy);
        MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    }
    if (x->close)
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONNECTION, "close");
    enum MHD_Result ok = MHD_queue_response(conn, res->status, r);
    MHD_destroy_response(r);
    return ok;
}

/* The watchdog's record of conn (its socket context). */
static hb_watched *watched(struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return info ? info->socket_context : NULL;
}

static void on_connection(void *cls, struct MHD_Connection *conn, void **context,
                          enum MHD_ConnectionNotificationCode code)
{
    hb_server *s = cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *info =
            MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
        *context = info ? hb_watchdog_open(s->watchdog, info->connect_fd) : NULL;
    } else {
        hb_watchdog_close(s->watchdog, *context);
        *context = NULL;
    }
}

/* The request line is in: from now on a stall earns a 408 rather than a silent close. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
    (void)cls;
    (void)uri;
    hb_watchdog_request_line(watched(conn));
    return NULL; /* the exchange is created when the headers are complete */
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload,
                                  size_t *upload_size, void **state)
{
    (void)version;
    hb_server *s = cls;
    hb_exchange *x = *state;
    if (!x) {
        char addr[INET6_ADDRSTRLEN];
        client_address(conn, addr, sizeof addr);
        x = hb_xmalloc(sizeof *x);
        hb_exchange_init(x, &s->ctx, method, url, addr);
        x->req.query = query_lookup;
        x->req.query_ctx = conn;
        *state = x;
        hb_watchdog_request(watched(conn));
        atomic_fetch_add(&s->in_flight, 1);
        hb_metrics_in_flight(s->ctx.metrics, 1);
        hb_exchange_begin(x, header_lookup, conn);
        return x->decided ? respond(conn, x) : MHD_YES;
    }
    if (*upload_size > 0) {
        if (hb_exchange_body(x, upload, *upload_size) < 0)
            return MHD_NO; /* closes the connection */
        *upload_size = 0;
        return MHD_YES;
    }
    hb_exchange_finish(x);
    return respond(conn, x);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **state,
                         enum MHD_RequestTerminationCode why)
{
    (void)why;
    hb_server *s = cls;
    hb_exchange *x = *state;
    if (!x)
        return;
    hb_watchdog_response(watched(conn));
    hb_metrics_observe(s->ctx.metrics, x->req.route, x->decided ? x->res.status : 0,
                       hb_monotonic_ns() - x->start_ns);
    hb_metrics_in_flight(s->ctx.metrics, -1);
    hb_exchange_dispose(x);
    hb_free(x);
    *state = NULL;
    atomic_fetch_sub(&s->in_flight, 1);
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Percent-decoding of the request path and query values, as libmicrohttpd's own except that
 * "%00" stays as written: a decoded NUL would cut the string short, and "/index.html%00.js" or
 * "/api/v1/alerts/1%00x" would be taken for a shorter path than the client sent. */
static size_t unescape(void *cls, struct MHD_Connection *conn, char *s)
{
    (void)cls;
    (void)conn;
    char *out = s;
    for (const char *in = s; *in;) {
        int hi = in[0] == '%' ? hex_digit(in[1]) : -1;
        int lo = hi >= 0 ? hex_digit(in[2]) : -1;
        if (lo >= 0 && (hi | lo) != 0) {
            *out++ = (char)(hi * 16 + lo);
            in += 3;
        } else {
            *out++ = *in++;
        }
    }
    *out = '\0';
    return (size_t)(out - s);
}

static void mhd_log(void *cls, const char *fmt, va_list ap) HB_PRINTF(2, 0);

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    hb_server *s = cls;
    char line[512];
    vsnprintf(line, sizeof line, fmt, ap);
    line[strcspn(line, "\n")] = '\0';
    hb_server_log(&s->ctx, "libmicrohttpd: %s", line);
}

/* "host:port" or "[v6]:port" into addr. */
static int parse_listen(const char *listen, struct sockaddr_storage *addr, socklen_t *len)
{
    char host[256];
    const char *colon = strrchr(listen, ':');
    if (!colon || colon == listen || (size_t)(colon - listen) >= sizeof host)
        return hb_error_set(HB_EINVAL, "--listen '%s' must be HOST:PORT, e.g. 127.0.0.1:8080",
                            listen);
    size_t hlen = (size_t)(colon - listen);
    if (listen[0] == '[' && listen[hlen - 1] == ']') {
        memcpy(host, listen + 1, hlen - 2);
        host[hlen - 2] = '\0';
    } else {
        memcpy(host, listen, hlen);
        host[hlen] = '\0';
    }
    struct addrinfo hints = { .ai_flags = AI_NUMERICSERV | AI_PASSIVE, .ai_socktype = SOCK_STREAM };
    struct addrinfo *res;
    int rc = getaddrinfo(host, colon + 1, &hints, &res);
    if (rc != 0)
        return hb_error_set(HB_EINVAL, "--listen '%s': %s", listen, gai_strerror(rc));
    memcpy(addr, res->ai_addr, res->ai_addrlen);
    *len = res->ai_addrlen;
    freeaddrinfo(res);
    return 0;
}

static int read_pem(char **out, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return hb_error_set(HB_EINVAL, "cannot open '%s'", path);
    hb_buf b;
    hb_buf_init(&b, TLS_FILE_MAX);
    char chunk[4096];
    size_t n;
    int rc = 0;
    while (rc == 0 && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        rc = hb_buf_put(&b, chunk, n);
    if (rc == 0 && ferror(f))
        rc = hb_error_set(HB_ERROR, "cannot read '%s'", path);
    fclose(f);
    if (rc == 0 && b.len == 0)
        rc = hb_error_set(HB_EINVAL, "'%s' is empty", path);
    if (rc < 0) {
        hb_buf_dispose(&b);
        return rc == HB_ELIMIT ? hb_error_set(HB_ELIMIT, "'%s' is too large", path) : rc;
    }
    *out = hb_buf_detach(&b);
    return 0;
}

static unsigned worker_count(unsigned wanted)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned n = wanted ? wanted : (cpus > 0 ? (unsigned)cpus : 1u);
    return n > HB_HTTP_THREADS_MAX ? HB_HTTP_THREADS_MAX : n;
}

/* The shared pieces: check the schema, then the metrics and the pool (seeded with the
 * connection that checked the schema). */
static int prepare(hb_server *s, const hb_server_config *cfg, unsigned threads)
{
    hb_store *first;
    int rc = hb_schema_open(&first, cfg->db_url);
    if (rc < 0)
        return rc;
    s->ctx.routes = hb_routes(&s->ctx.nroutes);
    rc = hb_metrics_new(&s->ctx.metrics, s->ctx.routes, s->ctx.nroutes);
    if (rc == 0)
        rc = hb_cache_new(&s->ctx.cache);
    if (rc == 0)
        rc = hb_pool_new(&s->ctx.pool, cfg->db_url, threads + 1, s->ctx.metrics);
    if (rc < 0) {
        hb_store_close(first);
        return rc;
    }
    hb_metrics_count(s->ctx.metrics, HB_METRIC_DB_OPENED);
    hb_pool_release(s->ctx.pool, first, true);
    if (cfg->tls_cert_file && (rc = read_pem(&s->tls_cert, cfg->tls_cert_file)) == 0)
        rc = read_pem(&s->tls_key, cfg->tls_key_file);
    return rc;
}

static int start_daemon(hb_server *s, const struct sockaddr_storage *addr, unsigned threads,
                        unsigned idle_timeout)
{
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC |
                     MHD_USE_ERROR_LOG | MHD_USE_TURBO;
    if (addr->ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    if (s->tls_cert) {
        if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES)
            return hb_error_set(HB_ERROR, "this libmicrohttpd was built without TLS");
        flags |= MHD_USE_TLS;
    }
    struct MHD_OptionItem options[] = {
        { MHD_OPTION_EXTERNAL_LOGGER, (intptr_t)mhd_log, s }, /* first: see its manual */
        { MHD_OPTION_SOCK_ADDR, 0, (void *)addr },
        { MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)on_completed, s },
        { MHD_OPTION_NOTIFY_CONNECTION, (intptr_t)on_connection, s },
        { MHD_OPTION_URI_LOG_CALLBACK, (intptr_t)on_uri, s },
        { MHD_OPTION_UNESCAPE_CALLBACK, (intptr_t)unescape, NULL },
        { MHD_OPTION_CONNECTION_MEMORY_LIMIT, HB_HTTP_HEADER_MEMORY, NULL },
        { MHD_OPTION_CONNECTION_LIMIT, HB_HTTP_CONNECTIONS_MAX, NULL },
        { MHD_OPTION_PER_IP_CONNECTION_LIMIT, HB_HTTP_CONNECTIONS_PER_ADDRESS_MAX, NULL },
        { MHD_OPTION_CONNECTION_TIMEOUT, idle_timeout, NULL },
        { MHD_OPTION_STRICT_FOR_CLIENT, 1, NULL },
        { threads > 1 ? MHD_OPTION_THREAD_POOL_SIZE : MHD_OPTION_END, threads, NULL },
        { s->tls_cert ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, 0, s->tls_cert },
        { s->tls_key ? MHD_OPTION_HTTPS_MEM_KEY : MHD_OPTION_END, 0, s->tls_key },
        { MHD_OPTION_END, 0, NULL },
    };
    /* Options after an MHD_OPTION_END are ignored: compact the conditional ones. */
    size_t n = 0;
    for (size_t i = 0; i < sizeof options / sizeof options[0]; i++)
        if (options[i].option != MHD_OPTION_END)
            options[n++] = options[i];
    options[n] = (struct MHD_OptionItem){ MHD_OPTION_END, 0, NULL };
    s->daemon = MHD_start_daemon(flags, 0, NULL, NULL, on_request, s, MHD_OPTION_ARRAY, options,
                                 MHD_OPTION_END);
    if (!s->daemon)
        return hb_error_set(HB_ERROR, "cannot listen (address in use, or bad TLS key?)");
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    s->port = info ? info->port : 0;
    return 0;
}

static void release(hb_server *s)
{
    hb_watchdog_stop(s->watchdog);
    hb_pool_free(s->ctx.pool);
    hb_metrics_free(s->ctx.metrics);
    hb_cache_free(s->ctx.cache);
    hb_free(s->tls_cert);
    hb_free(s->tls_key);
    hb_free(s);
}

int hb_server_start(hb_server **out, const hb_server_config *cfg)
{
    if (!cfg->db_url || !cfg->listen)
        return hb_error_set(HB_EINVAL, "the server needs a database and an address");
    if (!cfg->tls_cert_file != !cfg->tls_key_file)
        return hb_error_set(HB_EINVAL, "give both --tls-cert and --tls-key, or neither");
    unsigned idle =
        cfg->idle_timeout_seconds ? cfg->idle_timeout_seconds : HB_HTTP_IDLE_TIMEOUT_SECONDS;
    unsigned header =
        cfg->header_seconds_max ? cfg->header_seconds_max : HB_HTTP_HEADER_SECONDS_MAX;
    if (idle > HB_HTTP_IDLE_TIMEOUT_SECONDS || header > HB_HTTP_HEADER_SECONDS_MAX ||
        cfg->request_seconds_max > HB_HTTP_REQUEST_SECONDS_MAX || header >= idle)
        return hb_error_set(HB_EINVAL, "time limits may only be shortened, and the header "
                                       "deadline must stay below the idle timeout");
    struct sockaddr_storage addr;
    socklen_t addr_len;
    int rc = parse_listen(cfg->listen, &addr, &addr_len);
    if (rc < 0)
        return rc;
    hb_server *s = hb_calloc(1, sizeof *s);
    if (!s)
        return HB_ENOMEM;
    s->ctx.log = cfg->log;
    snprintf(s->key_dir, sizeof s->key_dir, "%s", hb_signing_key_dir(cfg->key_dir));
    s->ctx.key_dir = s->key_dir;
    s->ctx.request_seconds_max =
        cfg->request_seconds_max ? cfg->request_seconds_max : HB_HTTP_REQUEST_SECONDS_MAX;
    atomic_init(&s->ctx.draining, false);
    unsigned threads = worker_count(cfg->threads);
    rc = prepare(s, cfg, threads);
    hb_http_timeout_response(s->timeout_response, sizeof s->timeout_response);
    if (rc == 0)
        rc = hb_watchdog_start(&s->watchdog, header, s->ctx.metrics,
                               s->tls_cert ? NULL : s->timeout_response);
    if (rc == 0)
        rc = start_daemon(s, &addr, threads, idle);
    if (rc < 0) {
        release(s);
        return rc;
    }
    hb_server_log(&s->ctx, "listening on %s port %u (%s, %u worker%s)", cfg->listen,
                  (unsigned)s->port, s->tls_cert ? "HTTPS" : "HTTP", threads,
                  threads == 1 ? "" : "s");
    *out = s;
    return 0;
}

uint16_t hb_server_port(const hb_server *s)
{
    return s->port;
}

void hb_server_stop(hb_server *s)
{
    if (!s)
        return;
    atomic_store(&s->ctx.draining, true);
    MHD_socket listener = MHD_quiesce_daemon(s->daemon);
    if (listener != MHD_INVALID_SOCKET)
        close(listener);
    uint64_t deadline = hb_monotonic_ns() + (uint64_t)HB_HTTP_DRAIN_SECONDS * 1000000000u;
    while (atomic_load(&s->in_flight) > 0 && hb_monotonic_ns() < deadline) {
        struct timespec pause = { 0, 10 * 1000 * 1000 };
        nanosleep(&pause, NULL);
    }
    int64_t left = atomic_load(&s->in_flight);
    MHD_stop_daemon(s->daemon);
    hb_server_log(&s->ctx, "stopped%s", left > 0 ? " with requests still in flight" : "");
    release(s);
}
