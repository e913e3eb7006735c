/*
 * util/limits.h — every limit in healthybay, in one place, each with the reason for its value.
 *
 * A limit keeps bad or hostile input from exhausting memory or time. Each may be overridden at
 * build time (-DHB_CSV_FIELD_MAX=...); the checks at the end refuse overrides that would break the
 * relations the code relies on (sqliteLimit.h does the same).
 */
#ifndef HB_UTIL_LIMITS_H
#define HB_UTIL_LIMITS_H

/* One error message: long enough for "file:line:column: field 'x': reason" with a quoted value. */
#ifndef HB_ERROR_MESSAGE_MAX
#define HB_ERROR_MESSAGE_MAX 512
#endif

/* One CSV field. Surveillance values, codes and names are short; 64 KiB leaves room for free-text
 * comments without letting a missing closing quote swallow a whole file into one field. */
#ifndef HB_CSV_FIELD_MAX
#define HB_CSV_FIELD_MAX (64 * 1024)
#endif

/* Columns in one CSV record. The widest file we read (fluBYBW, 140 districts) has 143. */
#ifndef HB_CSV_FIELDS_MAX
#define HB_CSV_FIELDS_MAX 1024
#endif

/* One CSV record (all fields together). */
#ifndef HB_CSV_RECORD_MAX
#define HB_CSV_RECORD_MAX (1024 * 1024)
#endif

/* Bad lines reported for one rejected file: enough to fix a systematic error, not a flood. */
#ifndef HB_REPORT_ERRORS_MAX
#define HB_REPORT_ERRORS_MAX 100
#endif

/* Time points in one series: 100 years of daily data. */
#ifndef HB_SERIES_LENGTH_MAX
#define HB_SERIES_LENGTH_MAX 36525
#endif

/* Years of history Farrington-type methods look back (b). R allows any; 20 years of weekly data
 * is more than any surveillance system keeps consistent case definitions for. */
#ifndef HB_SURVEIL_YEARS_MAX
#define HB_SURVEIL_YEARS_MAX 20
#endif

/* Seasonal periods of Farrington flexible (noPeriods): one GLM coefficient each. Noufaily et al.
 * use 10; more than one per week of the year cannot be estimated. */
#ifndef HB_SURVEIL_PERIODS_MAX
#define HB_SURVEIL_PERIODS_MAX 52
#endif

/* Harmonics of the GLRNB / CUSUM seasonal baseline model (two GLM columns each). */
#ifndef HB_SURVEIL_HARMONICS_MAX
#define HB_SURVEIL_HARMONICS_MAX 8
#endif

/* Counts below this get their logarithms and powers from a table made once per detection
 * workspace (32 KiB a column) instead of computing them at every time point; larger counts are
 * computed as they come. */
#ifndef HB_SURVEIL_COUNT_TABLE
#define HB_SURVEIL_COUNT_TABLE 4096
#endif

/* Series in one input file: 10 million covers every region × disease × age group × measure of
 * the Greater Bay Area many times over; past it a file is more likely a mistake than a workload. */
#ifndef HB_SERIES_MAX
#define HB_SERIES_MAX 10000000
#endif

/* Default cap for a growable buffer that was given no explicit one (1 GiB). */
#ifndef HB_BUF_DEFAULT_MAX
#define HB_BUF_DEFAULT_MAX ((size_t)1 << 30)
#endif

/* A database URL or file path. */
#ifndef HB_PATH_MAX
#define HB_PATH_MAX 4096
#endif

/* Length of one SQL statement after placeholder rewriting; our statements are short and static. */
#ifndef HB_SQL_MAX
#define HB_SQL_MAX (64 * 1024)
#endif

/* Bound parameters in one prepared statement. */
#ifndef HB_SQL_PARAMS_MAX
#define HB_SQL_PARAMS_MAX 64
#endif

/* One field of a registry import (names, indications, scope): long enough for a paragraph of
 * free text, short enough that a missing quote cannot turn a file into one field. */
#ifndef HB_REGISTRY_TEXT_MAX
#define HB_REGISTRY_TEXT_MAX 4000
#endif

/* Rows in one registry import file. The registries hold thousands of items (71 designated
 * institutions and 140 products by 2025; a few thousand cross-border practitioners); monthly
 * usage for every product at every institution for decades stays far below this. */
#ifndef HB_REGISTRY_ROWS_MAX
#define HB_REGISTRY_ROWS_MAX 1000000
#endif

/* A registry CSV file sent over HTTP. The import holds the database's write lock while it checks
 * and writes every row — 20,000 product rows (2.7 MB) took 2 s in a debug build — so 8 MiB keeps
 * other writers waiting seconds, not minutes. Larger loads are split by kind or by period, or
 * made by the operator with `healthybay registry import`, which has no such limit. */
#ifndef HB_REGISTRY_HTTP_BODY_MAX
#define HB_REGISTRY_HTTP_BODY_MAX (8 * 1024 * 1024)
#endif

/* One value read back from the registry for a rule check (codes, dates, a status reason). */
#ifndef HB_REGISTRY_VALUE_MAX
#define HB_REGISTRY_VALUE_MAX 512
#endif

/* Columns of one registry import kind (the widest, schemes, has 13). */
#ifndef HB_REGISTRY_COLS_MAX
#define HB_REGISTRY_COLS_MAX 16
#endif

/* Days ahead an expiry alert may look: ten years. */
#ifndef HB_REGISTRY_EXPIRY_DAYS_MAX
#define HB_REGISTRY_EXPIRY_DAYS_MAX 3660
#endif

/* Posterior draws pooled per window by EpiEstim's uncertain_si (n1 * n2). The default is 25,000;
 * 10^7 doubles are 80 MB, the most one Rt estimate should hold in memory. */
#ifndef HB_RT_SAMPLES_MAX
#define HB_RT_SAMPLES_MAX 10000000
#endif

/* Sample trajectories behind one sampled forecast (the FluSight baseline, the renewal model).
 * The hubs use 1,000 to 100,000; above 10^6 the quantiles stop changing and only time is spent. */
#ifndef HB_FORECAST_SAMPLES_MAX
#define HB_FORECAST_SAMPLES_MAX 1000000
#endif

/* Forecast horizon in periods: 14 days covers the daily targets, 4 weeks and 12 months the others;
 * 104 periods (two years of weeks) is far beyond any useful forecast of case counts. */
#ifndef HB_FORECAST_HORIZON_MAX
#define HB_FORECAST_HORIZON_MAX 104
#endif

/* One scanned certificate ("HC1:…"). The largest QR code (version 40, error correction L) holds
 * 4,296 alphanumeric characters: longer text cannot have come from a QR code. */
#ifndef HB_DCC_TEXT_MAX
#define HB_DCC_TEXT_MAX 4296
#endif

/* A certificate after inflating. Real DCCs inflate to under 2 KiB and zlib reaches ~1000:1, so a
 * 3 KiB input could inflate to megabytes: we stop at 32 KiB (decompression bombs). */
#ifndef HB_DCC_INFLATED_MAX
#define HB_DCC_INFLATED_MAX (32 * 1024)
#endif

/* CBOR nesting. A DCC nests 6 deep (claims, hcert, DCC, v, entry, value); 16 leaves room for
 * extensions while keeping a hostile input from recursing without bound. */
#ifndef HB_CBOR_DEPTH_MAX
#define HB_CBOR_DEPTH_MAX 16
#endif

/* Document-signer certificates in one trust list. The EU gateway published ~2,500 DSCs for ~50
 * countries at its peak; the three GBA jurisdictions need far fewer. */
#ifndef HB_DCC_TRUST_MAX
#define HB_DCC_TRUST_MAX 100000
#endif

/* One DSC (DER or PEM). Real ones are 0.5–2 KiB; 16 KiB allows long extensions. */
#ifndef HB_DCC_CERT_MAX
#define HB_DCC_CERT_MAX (16 * 1024)
#endif

/* Doses recorded for one person: the longest real schedules have 3 primary doses and a few
 * boosters; 32 stops a data error from making one status query unbounded. */
#ifndef HB_VACCINE_DOSES_MAX
#define HB_VACCINE_DOSES_MAX 32
#endif

/* Lines in one bulk dose import (one file per day and per reporting site in practice). */
#ifndef HB_VACCINE_IMPORT_ROWS_MAX
#define HB_VACCINE_IMPORT_ROWS_MAX 1000000
#endif

/* Rules in one recognition rule file (jurisdictions x products x versions). */
#ifndef HB_VACCINE_RULES_MAX
#define HB_VACCINE_RULES_MAX 4096
#endif

/* A dose file sent over HTTP (CSV, or the same doses as JSON). The import holds SQLite's write
 * lock while it checks and writes every dose — 20,000 new doses (1.8 MB of CSV) took 0.2 s over
 * HTTP on SQLite and 2.9 s on PostgreSQL in a release build — so 8 MiB (some 95,000 doses as CSV,
 * 36,000 as JSON) keeps other writers waiting seconds, not minutes. Larger loads are split by day
 * or by site, or made by the operator with `healthybay vaccine import`, which has no such limit. */
#ifndef HB_VACCINE_HTTP_BODY_MAX
#define HB_VACCINE_HTTP_BODY_MAX (8 * 1024 * 1024)
#endif

/* Days of coverage in one HTTP answer: three years. Split by product that is at most some 60,000
 * rows (days x 3 residences x products given), a few MB of JSON. */
#ifndef HB_VACCINE_COVERAGE_DAYS_MAX
#define HB_VACCINE_COVERAGE_DAYS_MAX 1096
#endif

/* ---- Rare blood (src/blood, include/healthybay/blood.h) ---- */

/* Profiles (units and donors) in one search index: ids are 32-bit, and 100 million is more than
 * every person of the Greater Bay Area (86 million), let alone its rare donors and frozen units. */
#ifndef HB_BLOOD_PROFILES_MAX
#define HB_BLOOD_PROFILES_MAX 100000000u
#endif

/* Sites (blood centres and storage sites) in one index: a query keeps one distance per site on
 * the stack. The three jurisdictions have a few dozen blood centres and stations. */
#ifndef HB_BLOOD_SITES_MAX
#define HB_BLOOD_SITES_MAX 4096
#endif

/* Hits one search returns: a blood bank reads a short list; 10,000 lets an export take all
 * matches of a common requirement without letting one request sort the whole registry. */
#ifndef HB_BLOOD_HITS_MAX
#define HB_BLOOD_HITS_MAX 10000
#endif

/* A phenotype as text ("C+ c- E- e+ K- Jk(a-b-) Fy(a+b-) Mia-"): every antigen we type, written
 * out, fits in about 400 bytes. */
#ifndef HB_BLOOD_PHENOTYPE_TEXT_MAX
#define HB_BLOOD_PHENOTYPE_TEXT_MAX 2048
#endif

/* A free-text note on a request step (why a request was declined, shipping details). */
#ifndef HB_BLOOD_NOTE_MAX
#define HB_BLOOD_NOTE_MAX 2000
#endif

/* Rows in one registry import file: a blood centre's whole rare-donor registry or frozen
 * inventory is thousands to a few hundred thousand rows. */
#ifndef HB_BLOOD_IMPORT_ROWS_MAX
#define HB_BLOOD_IMPORT_ROWS_MAX 5000000
#endif

/* A donor or unit file uploaded over HTTP: a centre's whole rare-donor registry (a few hundred
 * thousand rows of about 60 bytes) in one request; a larger registry is imported in parts, or
 * on the server with `healthybay blood donors import`. */
#ifndef HB_BLOOD_UPLOAD_MAX
#define HB_BLOOD_UPLOAD_MAX (16 * 1024 * 1024)
#endif

/* Settlement (src/settle/). Amounts are bounded well inside int64 so that a sum of a whole file
 * of claims, or a product with a rate, is checked rather than trusted: 10^15 minor units is ten
 * trillion yuan or dollars, far above any real claim, settlement or voucher budget. */
#ifndef HB_MONEY_MINOR_MAX
#define HB_MONEY_MINOR_MAX 1000000000000000LL
#endif

/* Decimal places of an exchange rate or conversion factor: published rates have 4 to 6
 * (HKMA, PBOC central parity, ECB); 12 leaves room without overflowing 10^scale * quantum. */
#ifndef HB_RATE_SCALE_MAX
#define HB_RATE_SCALE_MAX 12
#endif

/* A daily reference rate older than this many days is stale: it bridges weekends and the
 * longest public-holiday closures (Chinese New Year, National Day: 7-8 days), not a data gap. */
#ifndef HB_RATE_AGE_DAYS_MAX
#define HB_RATE_AGE_DAYS_MAX 10
#endif

/* Codes and identifiers in settlement (provider, payer, episode, patient pseudonym, item code,
 * idempotency key): real ones are 10-40 characters; 64 rejects pasted documents. */
#ifndef HB_SETTLE_ID_MAX
#define HB_SETTLE_ID_MAX 64
#endif

/* Items in one claim: an outpatient bill has a handful, a long inpatient stay a few hundred. */
#ifndef HB_CLAIM_ITEMS_MAX
#define HB_CLAIM_ITEMS_MAX 500
#endif

/* The body of POST /api/v1/claims: HB_CLAIM_ITEMS_MAX items of at most ~250 bytes of JSON each
 * (a 64-character code, the category, quantity and price, the member names) with room for
 * pretty-printing. Every other settlement route takes a few fields: the server's 8 KiB. */
#ifndef HB_SETTLE_CLAIM_BODY_MAX
#define HB_SETTLE_CLAIM_BODY_MAX (256 * 1024)
#endif

/* Quantity of one claim item (tablets, sessions, days). */
#ifndef HB_CLAIM_QUANTITY_MAX
#define HB_CLAIM_QUANTITY_MAX 100000
#endif

/* Entries in one ledger transfer. A claim posts 2-4; a settlement run posts one per provider and
 * currency plus one per payment instruction: 100,000 covers every GBA hospital many times. */
#ifndef HB_TRANSFER_ENTRIES_MAX
#define HB_TRANSFER_ENTRIES_MAX 100000
#endif

/* Rows in one settlement-module import file (claims items, members, rates, rules): a month of
 * cross-border claims of the whole Greater Bay Area is a few hundred thousand lines. */
#ifndef HB_SETTLE_IMPORT_ROWS_MAX
#define HB_SETTLE_IMPORT_ROWS_MAX 5000000
#endif

/* Idle prepared statements a connection keeps for reuse (store/store.c). A module's hot paths use
 * a handful each; the cap bounds memory per connection and, on PostgreSQL, the server-side
 * prepared statements per session. */
#ifndef HB_STORE_STMT_CACHE_MAX
#define HB_STORE_STMT_CACHE_MAX 64
#endif

/* ---- Accounts and tokens (core/accounts.h) ---- */

/* Random bytes in a token's secret. 32 bytes = 256 bits: guessing is hopeless even for an
 * attacker who can try every token id at line rate for the life of the universe. */
#ifndef HB_TOKEN_SECRET_BYTES
#define HB_TOKEN_SECRET_BYTES 32
#endif

/* Random bytes in a token's public id: 64 bits make an accidental collision (which would only
 * fail the creation, the id being a primary key) practically impossible. */
#ifndef HB_TOKEN_ID_BYTES
#define HB_TOKEN_ID_BYTES 8
#endif

/* Token lifetime: a token must expire, and within a year — long enough for a laboratory's
 * reporting job, short enough that a forgotten token dies. */
#ifndef HB_TOKEN_LIFETIME_DAYS_DEFAULT
#define HB_TOKEN_LIFETIME_DAYS_DEFAULT 90
#endif
#ifndef HB_TOKEN_LIFETIME_DAYS_MAX
#define HB_TOKEN_LIFETIME_DAYS_MAX 366
#endif

/* An organisation code (hk-dh, gd-szph-2): short, for URLs and command lines. */
#ifndef HB_ORG_CODE_MAX
#define HB_ORG_CODE_MAX 64
#endif

/* An organisation's name or a token's label, in bytes of UTF-8: the longest official hospital
 * names in Chinese or Portuguese are under 100 characters (300 bytes). */
#ifndef HB_NAME_MAX
#define HB_NAME_MAX 400
#endif

/* ---- Audit log (core/audit.h) ---- */

/* Entries read per query while verifying the chain: bounds memory on a log of any length. */
#ifndef HB_AUDIT_VERIFY_PAGE
#define HB_AUDIT_VERIFY_PAGE 10000
#endif

/* One field of an audit entry (object names, sources). */
#ifndef HB_AUDIT_FIELD_MAX
#define HB_AUDIT_FIELD_MAX 512
#endif

/* ---- Idempotency (core/idempotency.h) ---- */

/* An Idempotency-Key header value: UUIDs are 36 characters; 255 leaves room for any client's
 * scheme without letting the key become a storage channel. */
#ifndef HB_IDEMPOTENCY_KEY_MAX
#define HB_IDEMPOTENCY_KEY_MAX 255
#endif

/* How long a stored response is replayed. Clients retry within minutes; a day covers a retry
 * after an overnight outage of the sender. Older records are purged. */
#ifndef HB_IDEMPOTENCY_TTL_SECONDS
#define HB_IDEMPOTENCY_TTL_SECONDS (24 * 3600)
#endif

/* ---- HTTP server (server/) ---- */

/* Request body of a route that does not set its own limit. Our JSON documents (an organisation,
 * a token request) are well under 1 KiB; 64 KiB leaves room without letting a client make the
 * server buffer megabytes per connection. */
#ifndef HB_HTTP_BODY_DEFAULT
#define HB_HTTP_BODY_DEFAULT (64 * 1024)
#endif

/* The largest body any route may accept (bulk uploads such as a day's case counts as CSV). */
#ifndef HB_HTTP_BODY_MAX
#define HB_HTTP_BODY_MAX (16 * 1024 * 1024)
#endif

/* Nesting of a JSON request body. Our documents nest two or three levels; a body nested deeper
 * is hostile (a recursive parser's stack) and rejected before it is parsed. */
#ifndef HB_JSON_DEPTH_MAX
#define HB_JSON_DEPTH_MAX 16
#endif

/* Memory per connection for the request line and headers (libmicrohttpd's connection memory
 * limit). A request whose headers do not fit gets 431. Bearer tokens are under 100 bytes;
 * 32 KiB is what browsers and proxies send at most in practice. */
#ifndef HB_HTTP_HEADER_MEMORY
#define HB_HTTP_HEADER_MEMORY (32 * 1024)
#endif

/* The longest request path (after the host), with its query string. */
#ifndef HB_HTTP_PATH_MAX
#define HB_HTTP_PATH_MAX 2048
#endif

/* Path segments of a route pattern or a request path: /api/v1/orgs/{org}/tokens is five. */
#ifndef HB_HTTP_SEGMENTS_MAX
#define HB_HTTP_SEGMENTS_MAX 16
#endif

/* A connection that sends nothing for this long is closed: the backstop for a stalled body.
 * Longer than the header deadline below, so that stalled headers are answered with a 408 by the
 * watchdog rather than cut silently by this timeout. */
#ifndef HB_HTTP_IDLE_TIMEOUT_SECONDS
#define HB_HTTP_IDLE_TIMEOUT_SECONDS 20
#endif

/* The request line and headers must be complete this long after the connection opened (or the
 * previous response went out). The idle timeout alone does not bound them: a client sending one
 * byte every few seconds never goes idle (slowloris). */
#ifndef HB_HTTP_HEADER_SECONDS_MAX
#define HB_HTTP_HEADER_SECONDS_MAX 15
#endif

/* A request whose body is still arriving after this long is cut off (its connection closed:
 * libmicrohttpd 0.9 cannot answer in the middle of an upload). A trickled body would otherwise
 * hold its buffer indefinitely, each byte resetting the idle timer. */
#ifndef HB_HTTP_REQUEST_SECONDS_MAX
#define HB_HTTP_REQUEST_SECONDS_MAX 30
#endif

/* Concurrent connections in all and from one address. A GBA deployment serves hundreds of
 * institutions, each with a few clients; the per-address cap stops one client from taking all
 * (a reverse proxy in front must raise it, as every client then shares its address). */
#ifndef HB_HTTP_CONNECTIONS_MAX
#define HB_HTTP_CONNECTIONS_MAX 1024
#endif
#ifndef HB_HTTP_CONNECTIONS_PER_ADDRESS_MAX
#define HB_HTTP_CONNECTIONS_PER_ADDRESS_MAX 256
#endif

/* Worker threads, each with its own database connection. */
#ifndef HB_HTTP_THREADS_MAX
#define HB_HTTP_THREADS_MAX 64
#endif

/* On SIGTERM, how long requests in flight may take to finish before the server stops anyway. */
#ifndef HB_HTTP_DRAIN_SECONDS
#define HB_HTTP_DRAIN_SECONDS 30
#endif

/* A response body (the largest list page, the OpenAPI document). */
#ifndef HB_HTTP_RESPONSE_MAX
#define HB_HTTP_RESPONSE_MAX (64 * 1024 * 1024)
#endif

/* Items in one page of a list, and the default when the client does not say. */
#ifndef HB_PAGE_LIMIT_MAX
#define HB_PAGE_LIMIT_MAX 1000
#endif
#ifndef HB_PAGE_LIMIT_DEFAULT
#define HB_PAGE_LIMIT_DEFAULT 100
#endif

/* Rendered reference-data responses a server keeps (server/cache.h): every combination of the
 * listings' filters a client uses in practice, a few KiB each. */
#ifndef HB_HTTP_CACHE_ENTRIES
#define HB_HTTP_CACHE_ENTRIES 64
#endif
#ifndef HB_HTTP_CACHE_BODY_MAX
#define HB_HTTP_CACHE_BODY_MAX (256 * 1024)
#endif

/* Validation errors reported for one request body: enough to fix a form, not a flood. */
#ifndef HB_HTTP_FIELD_ERRORS_MAX
#define HB_HTTP_FIELD_ERRORS_MAX 50
#endif

#if HB_ERROR_MESSAGE_MAX < 128
#error "HB_ERROR_MESSAGE_MAX must leave room for a file name, a position and a reason"
#endif
#if HB_CSV_FIELD_MAX > HB_CSV_RECORD_MAX
#error "a CSV field cannot be larger than a CSV record"
#endif
#if HB_BLOOD_SITES_MAX > 65536
#error "site numbers are 16-bit in a blood profile"
#endif
#if HB_BLOOD_PROFILES_MAX > 4294967295u
#error "blood profile ids are 32-bit"
#endif
#if HB_BLOOD_UPLOAD_MAX > HB_HTTP_BODY_MAX
#error "no route may take a body over HB_HTTP_BODY_MAX"
#endif
#if HB_CSV_FIELDS_MAX < 16
#error "HB_CSV_FIELDS_MAX is too small for the reference data files"
#endif
#if HB_REGISTRY_TEXT_MAX > HB_CSV_FIELD_MAX
#error "a registry field cannot be longer than a CSV field"
#endif
#if HB_REGISTRY_COLS_MAX < 12 || HB_REGISTRY_COLS_MAX > HB_CSV_FIELDS_MAX
#error "HB_REGISTRY_COLS_MAX must hold the widest registry kind and fit in a CSV record"
#endif
#if HB_REGISTRY_VALUE_MAX < 64
#error "HB_REGISTRY_VALUE_MAX must hold a code (64 characters)"
#endif
#if HB_RT_SAMPLES_MAX < 25000
#error "HB_RT_SAMPLES_MAX must allow EpiEstim's default uncertain_si (n1 = 500, n2 = 50)"
#endif
#if HB_FORECAST_HORIZON_MAX < 14
#error "HB_FORECAST_HORIZON_MAX must allow 14-day forecasts of daily data"
#endif
#if HB_DCC_INFLATED_MAX < HB_DCC_TEXT_MAX
#error "HB_DCC_INFLATED_MAX must hold an uncompressed certificate of HB_DCC_TEXT_MAX characters"
#endif
#if HB_CBOR_DEPTH_MAX < 8
#error "HB_CBOR_DEPTH_MAX is too small for a DCC (6 levels)"
#endif

#if HB_RATE_SCALE_MAX > 12
#error "HB_RATE_SCALE_MAX above 12 lets 10^scale * quantum overflow int64"
#endif
#if HB_MONEY_MINOR_MAX > 1000000000000000000LL
#error "HB_MONEY_MINOR_MAX must leave int64 room for sums of bounded amounts"
#endif
#if HB_TOKEN_SECRET_BYTES < 32
#error "tokens must carry at least 256 random bits"
#endif
#if HB_TOKEN_ID_BYTES < 8
#error "token ids need at least 64 random bits to avoid collisions"
#endif
#if HB_TOKEN_LIFETIME_DAYS_DEFAULT < 1 || \
    HB_TOKEN_LIFETIME_DAYS_DEFAULT > HB_TOKEN_LIFETIME_DAYS_MAX
#error "the default token lifetime must be between 1 day and HB_TOKEN_LIFETIME_DAYS_MAX"
#endif
#if HB_ORG_CODE_MAX < 8 || HB_ORG_CODE_MAX > 128
#error "HB_ORG_CODE_MAX must be between 8 and 128"
#endif
#if HB_IDEMPOTENCY_KEY_MAX < 36
#error "an Idempotency-Key must be able to hold a UUID"
#endif
#if HB_REGISTRY_HTTP_BODY_MAX > HB_HTTP_BODY_MAX
#error "HB_REGISTRY_HTTP_BODY_MAX cannot exceed HB_HTTP_BODY_MAX"
#endif
#if HB_VACCINE_HTTP_BODY_MAX > HB_HTTP_BODY_MAX
#error "HB_VACCINE_HTTP_BODY_MAX cannot exceed HB_HTTP_BODY_MAX"
#endif
#if HB_SETTLE_CLAIM_BODY_MAX > HB_HTTP_BODY_MAX
#error "a claim's body limit cannot exceed HB_HTTP_BODY_MAX"
#endif
#if HB_HTTP_BODY_DEFAULT > HB_HTTP_BODY_MAX
#error "the default body limit cannot exceed HB_HTTP_BODY_MAX"
#endif
#if HB_JSON_DEPTH_MAX < 4 || HB_JSON_DEPTH_MAX > 256
#error "HB_JSON_DEPTH_MAX must be between 4 and 256"
#endif
#if HB_HTTP_HEADER_MEMORY < 4096
#error "HB_HTTP_HEADER_MEMORY is too small for ordinary request headers"
#endif
#if HB_HTTP_PATH_MAX >= HB_HTTP_HEADER_MEMORY
#error "a request path must fit in the connection's header memory"
#endif
#if HB_HTTP_SEGMENTS_MAX < 8
#error "HB_HTTP_SEGMENTS_MAX is too small for the route table"
#endif
#if HB_HTTP_REQUEST_SECONDS_MAX < HB_HTTP_IDLE_TIMEOUT_SECONDS
#error "the request time limit must not be shorter than the idle timeout"
#endif
#if HB_HTTP_HEADER_SECONDS_MAX >= HB_HTTP_IDLE_TIMEOUT_SECONDS
#error "the header deadline must be shorter than the idle timeout (stalled headers get a 408)"
#endif
#if HB_HTTP_CONNECTIONS_PER_ADDRESS_MAX > HB_HTTP_CONNECTIONS_MAX
#error "the per-address connection cap cannot exceed the total"
#endif
#if HB_HTTP_THREADS_MAX < 1
#error "the server needs at least one worker thread"
#endif
#if HB_PAGE_LIMIT_DEFAULT < 1 || HB_PAGE_LIMIT_DEFAULT > HB_PAGE_LIMIT_MAX
#error "HB_PAGE_LIMIT_DEFAULT must be between 1 and HB_PAGE_LIMIT_MAX"
#endif
#if HB_HTTP_CACHE_ENTRIES < 1
#error "HB_HTTP_CACHE_ENTRIES must be positive"
#endif
#if HB_AUDIT_VERIFY_PAGE < 1
#error "HB_AUDIT_VERIFY_PAGE must be positive"
#endif
#if HB_STORE_STMT_CACHE_MAX < 1
#error "HB_STORE_STMT_CACHE_MAX must be positive"
#endif

#endif
