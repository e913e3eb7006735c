/*
 * cli/cmd_serve.c — `healthybay serve`: run the HTTP API server until SIGTERM or SIGINT.
 *
 * The signals are blocked before the server's threads start (they inherit the mask) and taken
 * with sigwait() here, so shutdown runs in ordinary code, not in a signal handler.
 */
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "server/server.h"
#include "util/limits.h"
#include "util/parse.h"
#include "warn/schedule.h"

enum {
    OPT_LISTEN = HB_OPT_FIRST_FREE,
    OPT_THREADS,
    OPT_TLS_CERT,
    OPT_TLS_KEY,
    OPT_QUIET,
    OPT_CONFIG,
    OPT_KEYS,
    OPT_NO_SCHEDULE
};

static int run_serve(int argc, char **argv)
{
    static const struct option options[] = {
        HB_CLI_COMMON_OPTIONS,
        { "listen", required_argument, NULL, OPT_LISTEN },
        { "threads", required_argument, NULL, OPT_THREADS },
        { "tls-cert", required_argument, NULL, OPT_TLS_CERT },
        { "tls-key", required_argument, NULL, OPT_TLS_KEY },
        { "quiet", no_argument, NULL, OPT_QUIET },
        { "config", required_argument, NULL, OPT_CONFIG },
        { "keys", required_argument, NULL, OPT_KEYS },
        { "no-schedule", no_argument, NULL, OPT_NO_SCHEDULE },
        { NULL, 0, NULL, 0 },
    };
    hb_cli_common common;
    hb_cli_common_init(&common);
    hb_server_config cfg = { .listen = "127.0.0.1:8080", .log = stderr };
    int64_t threads = 0;
    const char *config = getenv("HEALTHYBAY_CONFIG");
    hb_warn_scheduler_config schedule = { 0 };
    bool scheduled = true;
    int opt;
    while ((opt = hb_cli_getopt(&hb_cmd_serve, argc, argv, options, &common)) >= 0) {
        if (opt == OPT_LISTEN)
            cfg.listen = optarg;
        else if (opt == OPT_THREADS && (hb_parse_int64(&threads, optarg, strlen(optarg)) < 0 ||
                                        threads < 1 || threads > HB_HTTP_THREADS_MAX))
            return hb_cli_usage(&hb_cmd_serve, "--threads must be 1 to %d", HB_HTTP_THREADS_MAX);
        else if (opt == OPT_TLS_CERT)
            cfg.tls_cert_file = optarg;
        else if (opt == OPT_TLS_KEY)
            cfg.tls_key_file = optarg;
        else if (opt == OPT_QUIET)
            cfg.log = NULL;
        else if (opt == OPT_CONFIG)
            config = optarg;
        else if (opt == OPT_KEYS)
            schedule.key_dir = optarg;
        else if (opt == OPT_NO_SCHEDULE)
            scheduled = false;
    }
    if (opt == HB_CLI_EXIT)
        return common.exit_code;
    if (optind < argc)
        return hb_cli_usage(&hb_cmd_serve, "unexpected argument '%s'", argv[optind]);
    if (!cfg.tls_cert_file != !cfg.tls_key_file)
        return hb_cli_usage(&hb_cmd_serve, "give both --tls-cert and --tls-key, or neither");
    cfg.db_url = common.db;
    cfg.threads = (unsigned)threads;
    cfg.key_dir = schedule.key_dir;
    hb_warn_config warn; /* read before serving: a bad file stops the start, not the 08:30 run */
    if (scheduled && hb_warn_config_load(&warn, config && *config ? config : NULL) < 0)
        return hb_cli_fail_last();
    schedule.db_url = common.db;
    schedule.cfg = &warn;
    schedule.log = cfg.log;

    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    hb_server *server;
    if (hb_server_start(&server, &cfg) < 0)
        return hb_cli_fail_last();
    hb_warn_scheduler *scheduler = NULL;
    if (scheduled && hb_warn_scheduler_start(&scheduler, &schedule) < 0) {
        hb_server_stop(server);
        return hb_cli_fail_last();
    }
    int sig = 0;
    sigwait(&stop, &sig);
    if (cfg.log)
        fprintf(cfg.log, "healthybay: %s received, finishing requests in flight\n",
                sig == SIGTERM ? "SIGTERM" : "SIGINT");
    hb_server_stop(server);
    hb_warn_scheduler_stop(scheduler);
    return HB_EXIT_OK;
}

const hb_cli_command hb_cmd_serve = {
    "serve",
    "run the HTTP API server",
    "Usage: healthybay serve [--listen HOST:PORT] [--db URL] [--threads N]\n"
    "                        [--tls-cert FILE --tls-key FILE] [--quiet]\n"
    "                        [--config FILE] [--keys DIR] [--no-schedule]\n"
    "\n"
    "Serve the healthybay API (/api/v1/…, /healthz, /metrics) and the dashboard (/, when it\n"
    "was built in: docs/dashboard.md) until SIGTERM or SIGINT, then stop accepting\n"
    "connections, finish the requests in flight and close the database.\n"
    "Several servers may share one PostgreSQL database; they behave as one.\n"
    "\n"
    "The server also runs the early warning on schedule: each day once the local time (UTC+8)\n"
    "passes [run] time (08:30), the day's run and its notifications, as `healthybay run-daily`\n"
    "does, and each hour the reminders of unacknowledged notifications. Servers sharing a\n"
    "database run each day once. What ran is written to the log.\n"
    "\n"
    "  --listen HOST:PORT   address to listen on (default 127.0.0.1:8080; [::1]:8080 for IPv6;\n"
    "                       port 0 picks a free port, printed in the log)\n"
    "  --threads N          worker threads, each with its own database connection\n"
    "                       (default: one per CPU)\n"
    "  --tls-cert FILE      serve HTTPS with this PEM certificate chain …\n"
    "  --tls-key FILE       … and this PEM private key\n"
    "  --quiet              no server log on stderr\n"
    "  --config FILE        early-warning settings (default: $HEALTHYBAY_CONFIG, else the\n"
    "                       built-in etc/healthybay.conf; see docs/early-warning.md)\n"
    "  --keys DIR           signing keys (default: $HEALTHYBAY_KEYS, else ./keys):\n"
    "                       DIR/J-notify.key signs jurisdiction J's notifications, DIR/J/dsc.key\n"
    "                       its vaccination certificates (`vaccine keys generate --dir DIR/J`)\n"
    "  --no-schedule        serve only: leave the early warning to `healthybay run-daily` (cron)\n"
    "\n"
    "Example:\n"
    "  healthybay db migrate --db gba.db\n"
    "  healthybay org add --db gba.db --code hk-dh --kind health_authority --jurisdiction HK \\\n"
    "      --name 'Department of Health'\n"
    "  TOKEN=$(healthybay token create --db gba.db --org hk-dh --role admin)\n"
    "  healthybay serve --db gba.db --listen 127.0.0.1:8080 &\n"
    "  curl -H \"Authorization: Bearer $TOKEN\" http://127.0.0.1:8080/api/v1/regions\n",
    run_serve,
};
