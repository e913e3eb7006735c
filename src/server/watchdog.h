/*
 * server/watchdog.h — the header deadline: connections whose request line and headers are not
 * complete within the deadline are cut off.
 *
 * libmicrohttpd's connection timeout measures inactivity, so a client that trickles its headers
 * a byte at a time (slowloris) holds a connection and its memory for as long as it likes. The
 * watchdog knows every open connection (libmicrohttpd's connection notifications), when each
 * began waiting for a request, and whether a request is being handled; once a second it shuts
 * down the socket of every connection past the deadline while still waiting for headers.
 * libmicrohttpd then sees the connection end and cleans it up as usual. When the request line
 * has arrived (the client did start a request) and the connection is plain HTTP, the watchdog
 * first writes a 408 problem response: at that point libmicrohttpd is only reading from the
 * socket, never writing. Over TLS it cannot write into the session, and before a request line
 * there is nothing to answer (an idle keep-alive connection), so those are just closed.
 *
 * Thread safety: the registry is under one mutex; libmicrohttpd reports a connection closed
 * before it closes the socket, so the watchdog never touches a descriptor that was reused.
 */
#ifndef HB_SERVER_WATCHDOG_H
#define HB_SERVER_WATCHDOG_H

#include "server/metrics.h"

typedef struct hb_watchdog hb_watchdog;
typedef struct hb_watched hb_watched; /* one connection */

/* Start the watchdog thread; metrics may be NULL; timeout_response (borrowed, NULL = none) is
 * the complete HTTP response written before cutting a started request. */
int hb_watchdog_start(hb_watchdog **out, unsigned deadline_seconds, hb_metrics *metrics,
                      const char *timeout_response);
/* Stop the thread and free; every connection must have been closed (or the daemon stopped). */
void hb_watchdog_stop(hb_watchdog *w);

/* A connection opened (fd is its socket) / closed. */
hb_watched *hb_watchdog_open(hb_watchdog *w, int fd);
void hb_watchdog_close(hb_watchdog *w, hb_watched *c);
/* Its request line has arrived / its headers are complete / its response is done (the next
 * request's deadline runs from now). */
void hb_watchdog_request_line(hb_watched *c);
void hb_watchdog_request(hb_watched *c);
void hb_watchdog_response(hb_watched *c);

#endif
