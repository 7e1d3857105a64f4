/*
 * bench-latency-client: an open-loop HTTPS load generator with mutual TLS, for
 * scripts/bench-audit part (c) ("p99 <= 2 ms at half of the gateway's peak").
 *
 *   cc -O2 -o latency-client scripts/bench-latency-client.c -lssl -lcrypto
 *   latency-client --host 127.0.0.1 --port 8443 --path /api/info \
 *       --cert client.pem --key client.key --ca ca.pem \
 *       --rate 5000 --connections 16 --duration 10 --warmup 2
 *
 * It opens C keep-alive TLS 1.3 connections (client certificate and key, server verified
 * against the CA file, host name or IP checked), then schedules `GET PATH HTTP/1.1` requests
 * at a fixed total rate R: request i is due at start + i/R. A due request goes to the next
 * idle connection (round robin); when none is idle it waits in a queue, and its latency still
 * counts from its scheduled time, not from when it could be sent (no coordinated omission).
 * One request per connection at a time (no pipelining); one thread, ppoll().
 *
 * Requests due in the first W seconds warm up and are not counted; those due in the next D
 * seconds are measured. Responses are parsed (status line, Content-Length, body); anything
 * but 200 is an error, and so is a request whose connection was lost or that got no answer
 * within --timeout seconds after the last one was due. The percentiles are over the measured
 * requests answered 200 (nearest rank over the sorted latencies). Output, one "key value"
 * per line on stdout:
 *   offered_rate_per_s achieved_rate_per_s requests ok errors connections_lost
 *   mean_us p50_us p90_us p99_us p99_9_us max_us service_p50_us service_p99_us
 *   send_delay_p50_us send_delay_p99_us
 * ("n/a" for a latency when no measured request was answered 200, or none was sent).
 * achieved rate = measured requests answered / (last answer - first measured schedule);
 * service = answer - when the request was written (what a closed-loop client would see);
 * send delay = when a request was written - when it was due (waiting for an idle connection,
 * plus this client's own lateness), to tell the server's queueing from the client's.
 *
 * Exit status: 0 when the run was measured (errors are reported, not fatal), 1 when it could
 * not run (connection, TLS, files), 2 on bad arguments.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h> /* isfinite only: no libm to link */
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#define MAX_CONNECTIONS 1024
#define MAX_RATE 1000000.0
#define MAX_DURATION 3600.0
#define MAX_WARMUP 600.0
#define MAX_TIMEOUT 600.0
#define MAX_MEASURED 20000000.0 /* rate x duration: 20 M latencies, 160 MB */
#define MAX_PATH_LENGTH 2048
#define MAX_HOST_LENGTH 253
#define MAX_HEADER_BYTES 16384
#define MAX_RESPONSE_BYTES (1024 * 1024)
#define MAX_REPORTED_PROBLEMS 5

static const char *program = "latency-client";

static void usage(FILE *out) {
    fprintf(out,
        "usage: %s --port PORT --cert FILE --key FILE --ca FILE --rate R [options]\n"
        "\n"
        "Open-loop HTTPS load at a fixed rate over keep-alive mutual-TLS 1.3 connections;\n"
        "latency counts from each request's scheduled time (no coordinated omission).\n"
        "\n"
        "  --host HOST          server host name or IP literal (default 127.0.0.1)\n"
        "  --port PORT          server port, 1-65535 (required)\n"
        "  --path PATH          request path, starts with '/' (default /api/info)\n"
        "  --cert FILE          client certificate chain, PEM (required)\n"
        "  --key FILE           client private key, PEM (required)\n"
        "  --ca FILE            CA certificates that verify the server, PEM (required)\n"
        "  --rate R             total requests per second, 0 < R <= %.0f (required)\n"
        "  --connections C      keep-alive connections, 1-%d (default 16)\n"
        "  --duration D         measured seconds, 0 < D <= %.0f (default 10)\n"
        "  --warmup W           unmeasured seconds first, 0 <= W <= %.0f (default 2)\n"
        "  --timeout T          seconds to connect, and to wait for answers after the last\n"
        "                       request was due, 0 < T <= %.0f (default 10)\n"
        "  --help               this text\n"
        "\n"
        "Prints \"key value\" lines: offered_rate_per_s achieved_rate_per_s requests ok errors\n"
        "connections_lost mean_us p50_us p90_us p99_us p99_9_us max_us service_p50_us service_p99_us\n"
        "send_delay_p50_us send_delay_p99_us (latency from the scheduled time; service from the write).\n"
        "rate x duration may not exceed %.0f requests. Exit 0 measured, 1 could not run, 2 bad arguments.\n",
        program, MAX_RATE, MAX_CONNECTIONS, MAX_DURATION, MAX_WARMUP, MAX_TIMEOUT, MAX_MEASURED);
}

static void usage_error(const char *format, ...) {
    va_list args;
    va_start(args, format);
    fprintf(stderr, "%s: error: ", program);
    vfprintf(stderr, format, args);
    fprintf(stderr, "\n(see %s --help)\n", program);
    va_end(args);
    exit(2);
}

static void fatal(const char *format, ...) {
    va_list args;
    va_start(args, format);
    fprintf(stderr, "%s: error: ", program);
    vfprintf(stderr, format, args);
    fprintf(stderr, "\n");
    va_end(args);
    exit(1);
}

/* Like fatal, with OpenSSL's error queue appended. */
static void fatal_tls(const char *what) {
    char reason[256] = "no detail from OpenSSL";
    unsigned long code = ERR_get_error();
    if (code != 0) ERR_error_string_n(code, reason, sizeof reason);
    ERR_clear_error();
    fatal("%s: %s", what, reason);
}

static double parse_number(const char *option, const char *text, double low, int low_inclusive,
                           double high) {
    char *end = NULL;
    errno = 0;
    double value = strtod(text, &end);
    if (text[0] == '\0' || *end != '\0' || errno != 0 || !isfinite(value) ||
        (low_inclusive ? value < low : value <= low) || value > high) {
        usage_error("%s must be a number in %s%.15g, %.15g], not '%s'", option, low_inclusive ? "[" : "(",
                    low, high, text);
    }
    return value;
}

static long parse_whole(const char *option, const char *text, long low, long high) {
    char *end = NULL;
    errno = 0;
    long value = strtol(text, &end, 10);
    if (text[0] == '\0' || *end != '\0' || errno != 0 || value < low || value > high) {
        usage_error("%s must be a whole number from %ld to %ld, not '%s'", option, low, high, text);
    }
    return value;
}

/* ceil() for 0 <= x < 2^62, without libm (the bench script links -lssl -lcrypto only) */
static int64_t ceil_whole(double x) {
    int64_t whole = (int64_t)x;
    return (double)whole < x ? whole + 1 : whole;
}

static int64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

/* ---- connections ------------------------------------------------------------------------ */

enum state { IDLE, WRITING, READING, DEAD };

struct connection {
    int fd;
    SSL *ssl;
    enum state state;
    int want_write;        /* the last SSL call wanted the socket writable */
    int close_after;       /* the server said Connection: close */
    int64_t request;       /* index of the request in flight */
    int64_t sent_at;       /* when its writing began */
    size_t written;        /* bytes of the request written so far (SSL_write retries) */
    unsigned char *buffer; /* response bytes so far */
    size_t length, capacity;
};

struct settings {
    const char *host, *path, *cert, *key, *ca;
    long port, connections;
    double rate, duration, warmup, timeout;
};

static void wait_for(int fd, short events, int64_t deadline, const char *what) {
    for (;;) {
        int64_t left = deadline - now_ns();
        if (left <= 0) fatal("%s timed out", what);
        struct pollfd p = {.fd = fd, .events = events};
        int timeout_ms = (int)(left / 1000000) + 1;
        int n = poll(&p, 1, timeout_ms);
        if (n > 0) return;
        if (n < 0 && errno != EINTR) fatal("%s: poll: %s", what, strerror(errno));
    }
}

static int open_socket(const struct settings *s, int64_t deadline) {
    char port[16];
    snprintf(port, sizeof port, "%ld", s->port);
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *found = NULL;
    int status = getaddrinfo(s->host, port, &hints, &found);
    if (status != 0) fatal("cannot resolve host '%s': %s", s->host, gai_strerror(status));
    int fd = socket(found->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) fatal("socket: %s", strerror(errno));
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(fd, found->ai_addr, found->ai_addrlen) != 0) {
        if (errno != EINPROGRESS) fatal("cannot connect to %s port %ld: %s", s->host, s->port, strerror(errno));
        wait_for(fd, POLLOUT, deadline, "connecting");
        int error = 0;
        socklen_t size = sizeof error;
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size);
        if (error != 0) fatal("cannot connect to %s port %ld: %s", s->host, s->port, strerror(error));
    }
    freeaddrinfo(found);
    return fd;
}

static SSL_CTX *make_context(const struct settings *s) {
    SSL_CTX *context = SSL_CTX_new(TLS_client_method());
    if (context == NULL) fatal_tls("SSL_CTX_new");
    if (!SSL_CTX_set_min_proto_version(context, TLS1_3_VERSION) ||
        !SSL_CTX_set_max_proto_version(context, TLS1_3_VERSION))
        fatal_tls("cannot restrict TLS to version 1.3");
    if (SSL_CTX_use_certificate_chain_file(context, s->cert) != 1) {
        char what[PATH_MAX + 64];
        snprintf(what, sizeof what, "cannot load the client certificate '%s'", s->cert);
        fatal_tls(what);
    }
    if (SSL_CTX_use_PrivateKey_file(context, s->key, SSL_FILETYPE_PEM) != 1) {
        char what[PATH_MAX + 64];
        snprintf(what, sizeof what, "cannot load the client key '%s'", s->key);
        fatal_tls(what);
    }
    if (SSL_CTX_check_private_key(context) != 1) fatal_tls("the client key does not match the client certificate");
    if (SSL_CTX_load_verify_locations(context, s->ca, NULL) != 1) {
        char what[PATH_MAX + 64];
        snprintf(what, sizeof what, "cannot load the CA file '%s'", s->ca);
        fatal_tls(what);
    }
    SSL_CTX_set_verify(context, SSL_VERIFY_PEER, NULL);
    SSL_CTX_set_mode(context, SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_ENABLE_PARTIAL_WRITE);
    return context;
}

static void handshake(struct connection *c, SSL_CTX *context, const struct settings *s, int64_t deadline) {
    c->fd = open_socket(s, deadline);
    c->ssl = SSL_new(context);
    if (c->ssl == NULL) fatal_tls("SSL_new");
    unsigned char address[16];
    int is_ip = inet_pton(AF_INET, s->host, address) == 1 || inet_pton(AF_INET6, s->host, address) == 1;
    if (is_ip) {
        if (X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(c->ssl), s->host) != 1) fatal_tls("cannot check the server's IP");
    } else {
        if (SSL_set1_host(c->ssl, s->host) != 1) fatal_tls("cannot check the server's host name");
        SSL_set_tlsext_host_name(c->ssl, s->host);
    }
    SSL_set_fd(c->ssl, c->fd);
    for (;;) {
        ERR_clear_error();
        int result = SSL_connect(c->ssl);
        if (result == 1) break;
        int error = SSL_get_error(c->ssl, result);
        if (error == SSL_ERROR_WANT_READ) wait_for(c->fd, POLLIN, deadline, "the TLS handshake");
        else if (error == SSL_ERROR_WANT_WRITE) wait_for(c->fd, POLLOUT, deadline, "the TLS handshake");
        else {
            long verify = SSL_get_verify_result(c->ssl);
            if (verify != X509_V_OK)
                fatal("TLS handshake with %s port %ld failed: the server's certificate: %s", s->host, s->port,
                      X509_verify_cert_error_string(verify));
            fatal_tls("TLS handshake failed (is the client certificate accepted?)");
        }
    }
    c->state = IDLE;
    c->capacity = 16384;
    c->buffer = malloc(c->capacity);
    if (c->buffer == NULL) fatal("out of memory");
}

/* ---- the run ---------------------------------------------------------------------------- */

struct run {
    const struct settings *s;
    struct connection *connections;
    int *idle; /* ring of idle connection indexes */
    long idle_head, idle_count;
    long alive;
    const char *request;
    size_t request_length;
    int64_t start, interval_num; /* request i is due at start + i * 1e9 / rate */
    int64_t total, warmup_count, measured;
    int64_t scheduled, sent, finished; /* requests due so far, written (started), finished */
    int64_t *latency, *service;        /* ns, measured requests answered 200: from due, from sent */
    int64_t *send_delay;               /* ns, by measured request: sent - due, -1 never sent */
    int64_t ok, errors, lost, answered_measured, last_answer;
    int problems;
};

static int64_t due_time(const struct run *r, int64_t i) {
    return r->start + (int64_t)((double)i * 1e9 / r->s->rate + 0.5);
}

static void problem(struct run *r, const char *format, ...) {
    if (r->problems++ >= MAX_REPORTED_PROBLEMS) return;
    va_list args;
    va_start(args, format);
    fprintf(stderr, "%s: ", program);
    vfprintf(stderr, format, args);
    fprintf(stderr, "%s\n", r->problems == MAX_REPORTED_PROBLEMS ? " (further problems not shown)" : "");
    va_end(args);
}

static void push_idle(struct run *r, int index) {
    r->idle[(r->idle_head + r->idle_count) % r->s->connections] = index;
    r->idle_count++;
}

static int pop_idle(struct run *r) {
    int index = r->idle[r->idle_head];
    r->idle_head = (r->idle_head + 1) % r->s->connections;
    r->idle_count--;
    return index;
}

static void remove_idle(struct run *r, int index) {
    long n = r->idle_count;
    for (long k = 0; k < n; k++) {
        int item = pop_idle(r);
        if (item != index) push_idle(r, item);
    }
}

/* A request ended (answered or not). status < 0: no answer. */
static void finish(struct run *r, struct connection *c, int status, int64_t at) {
    int64_t i = c->request;
    r->finished++;
    if (i >= r->warmup_count) {
        if (status == 200) {
            r->service[r->ok] = at - c->sent_at;
            r->latency[r->ok++] = at - due_time(r, i);
        } else {
            r->errors++;
        }
        if (status >= 0) {
            r->answered_measured++;
            if (at > r->last_answer) r->last_answer = at;
        }
    }
}

static void kill_connection(struct run *r, struct connection *c, const char *why) {
    if (c->state == DEAD) return;
    if (c->state == WRITING || c->state == READING) finish(r, c, -1, now_ns());
    if (c->state == IDLE) remove_idle(r, (int)(c - r->connections));
    problem(r, "connection %ld lost: %s", (long)(c - r->connections), why);
    SSL_free(c->ssl);
    close(c->fd);
    c->ssl = NULL;
    c->fd = -1;
    c->state = DEAD;
    r->lost++;
    r->alive--;
}

/* Why an SSL call failed, with OpenSSL's reason (e.g. the server's alert refusing the
   client certificate, which TLS 1.3 delivers after the handshake, at the first read). */
static const char *tls_failure(int error, const char *doing, char *text, size_t size) {
    char reason[256] = "";
    unsigned long code = ERR_get_error();
    if (code != 0) ERR_error_string_n(code, reason, sizeof reason);
    ERR_clear_error();
    if (error == SSL_ERROR_ZERO_RETURN || (error == SSL_ERROR_SYSCALL && code == 0 && errno == 0))
        snprintf(text, size, "closed by the server while %s", doing);
    else if (error == SSL_ERROR_SYSCALL)
        snprintf(text, size, "%s: %s", doing, code != 0 ? reason : strerror(errno));
    else
        snprintf(text, size, "TLS error while %s: %s", doing, code != 0 ? reason : "no detail from OpenSSL");
    return text;
}

static void try_write(struct run *r, struct connection *c) {
    while (c->written < r->request_length) {
        ERR_clear_error();
        errno = 0;
        int n = SSL_write(c->ssl, r->request + c->written, (int)(r->request_length - c->written));
        if (n > 0) { c->written += (size_t)n; continue; }
        int error = SSL_get_error(c->ssl, n);
        if (error == SSL_ERROR_WANT_WRITE) { c->want_write = 1; return; }
        if (error == SSL_ERROR_WANT_READ) { c->want_write = 0; return; }
        char text[400];
        kill_connection(r, c, tls_failure(error, "writing a request", text, sizeof text));
        return;
    }
    c->want_write = 0;
    c->state = READING;
}

static void send_request(struct run *r, int index, int64_t now) {
    struct connection *c = &r->connections[index];
    c->request = r->sent++;
    c->sent_at = now;
    c->state = WRITING;
    c->written = 0;
    c->length = 0;
    if (c->request >= r->warmup_count) {
        /* slot of this request among the measured ones, filled when it ends with 200 */
        int64_t m = c->request - r->warmup_count;
        if (m < r->measured) r->send_delay[m] = now - due_time(r, c->request);
    }
    try_write(r, c);
}

/* Parses the response in c->buffer. Returns 1 complete (status set), 0 incomplete, -1 bad. */
static int parse_response(struct connection *c, int *status, const char **why) {
    unsigned char *b = c->buffer;
    size_t n = c->length;
    unsigned char *end = memmem(b, n, "\r\n\r\n", 4);
    if (end == NULL) {
        if (n > MAX_HEADER_BYTES) { *why = "response header longer than 16 KiB"; return -1; }
        return 0;
    }
    size_t header_length = (size_t)(end - b) + 4;
    if (header_length < 12 || memcmp(b, "HTTP/1.", 7) != 0 || (b[7] != '0' && b[7] != '1') || b[8] != ' ' ||
        b[9] < '1' || b[9] > '5' || b[10] < '0' || b[10] > '9' || b[11] < '0' || b[11] > '9') {
        *why = "malformed status line";
        return -1;
    }
    *status = (b[9] - '0') * 100 + (b[10] - '0') * 10 + (b[11] - '0');
    if (*status < 200) { *why = "interim (1xx) responses are not supported"; return -1; }
    long long content_length = -1;
    unsigned char *line = memmem(b, header_length, "\r\n", 2) + 2;
    while (line < end + 2) {
        unsigned char *line_end = memmem(line, (size_t)(end + 2 - line), "\r\n", 2);
        size_t length = (size_t)(line_end - line);
        if (length >= 15 && strncasecmp((char *)line, "content-length:", 15) == 0) {
            size_t k = 15;
            while (k < length && (line[k] == ' ' || line[k] == '\t')) k++;
            if (k == length) { *why = "empty Content-Length"; return -1; }
            long long value = 0;
            for (; k < length && line[k] >= '0' && line[k] <= '9'; k++) {
                value = value * 10 + (line[k] - '0');
                if (value > MAX_RESPONSE_BYTES) { *why = "Content-Length above 1 MiB"; return -1; }
            }
            while (k < length && (line[k] == ' ' || line[k] == '\t')) k++;
            if (k != length) { *why = "Content-Length is not a number"; return -1; }
            if (content_length >= 0 && content_length != value) { *why = "conflicting Content-Length"; return -1; }
            content_length = value;
        } else if (length >= 18 && strncasecmp((char *)line, "transfer-encoding:", 18) == 0) {
            *why = "Transfer-Encoding (chunked) responses are not supported";
            return -1;
        } else if (length >= 11 && strncasecmp((char *)line, "connection:", 11) == 0 &&
                   memmem(line, length, "close", 5) != NULL) {
            c->close_after = 1;
        }
        line = line_end + 2;
    }
    if (content_length < 0) {
        if (*status == 204 || *status == 304) content_length = 0;
        else { *why = "response without Content-Length"; return -1; }
    }
    size_t total = header_length + (size_t)content_length;
    if (n < total) return 0;
    if (n > total) { *why = "bytes after the response (the server answered more than asked)"; return -1; }
    return 1;
}

static void try_read(struct run *r, struct connection *c) {
    for (;;) {
        if (c->length == c->capacity) {
            if (c->capacity >= MAX_HEADER_BYTES + MAX_RESPONSE_BYTES) { kill_connection(r, c, "response too long"); return; }
            size_t bigger = c->capacity * 2;
            unsigned char *grown = realloc(c->buffer, bigger);
            if (grown == NULL) fatal("out of memory");
            c->buffer = grown;
            c->capacity = bigger;
        }
        ERR_clear_error();
        errno = 0;
        int n = SSL_read(c->ssl, c->buffer + c->length, (int)(c->capacity - c->length));
        if (n <= 0) {
            int error = SSL_get_error(c->ssl, n);
            if (error == SSL_ERROR_WANT_READ) { c->want_write = 0; return; }
            if (error == SSL_ERROR_WANT_WRITE) { c->want_write = 1; return; }
            char text[400];
            kill_connection(r, c, tls_failure(error, "reading", text, sizeof text));
            return;
        }
        if (c->state != READING) { kill_connection(r, c, "data from the server while no request was in flight"); return; }
        c->length += (size_t)n;
        int status = 0;
        const char *why = NULL;
        int parsed = parse_response(c, &status, &why);
        if (parsed < 0) { kill_connection(r, c, why); return; }
        if (parsed == 1) {
            finish(r, c, status, now_ns());
            if (status != 200)
                problem(r, "answer %d (not 200) to request %lld%s", status, (long long)c->request,
                        c->request < r->warmup_count ? " (warm-up)" : "");
            c->length = 0;
            if (c->close_after) {
                c->state = IDLE; /* nothing in flight: closing loses no request */
                push_idle(r, (int)(c - r->connections));
                kill_connection(r, c, "the server sent Connection: close");
                return;
            }
            c->state = IDLE;
            push_idle(r, (int)(c - r->connections));
            /* keep reading: a TLS record (session ticket) may follow; extra data is an error */
        }
    }
}

static int compare(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static double percentile_us(const int64_t *sorted, int64_t n, double p) {
    if (n == 0) return 0;
    int64_t rank = ceil_whole(p * (double)n); /* nearest rank */
    if (rank < 1) rank = 1;
    if (rank > n) rank = n;
    return (double)sorted[rank - 1] / 1000.0;
}

int main(int argc, char **argv) {
    struct settings s = {.host = "127.0.0.1", .path = "/api/info", .port = 0, .connections = 16,
                         .rate = 0, .duration = 10, .warmup = 2, .timeout = 10};
    for (int k = 1; k < argc; k++) {
        const char *option = argv[k];
        if (strcmp(option, "--help") == 0 || strcmp(option, "-h") == 0) { usage(stdout); return 0; }
        if (strncmp(option, "--", 2) != 0) usage_error("unexpected argument '%s'", option);
        if (k + 1 >= argc) usage_error("%s needs a value", option);
        const char *value = argv[++k];
        if (strcmp(option, "--host") == 0) s.host = value;
        else if (strcmp(option, "--port") == 0) s.port = parse_whole(option, value, 1, 65535);
        else if (strcmp(option, "--path") == 0) s.path = value;
        else if (strcmp(option, "--cert") == 0) s.cert = value;
        else if (strcmp(option, "--key") == 0) s.key = value;
        else if (strcmp(option, "--ca") == 0) s.ca = value;
        else if (strcmp(option, "--rate") == 0) s.rate = parse_number(option, value, 0, 0, MAX_RATE);
        else if (strcmp(option, "--connections") == 0) s.connections = parse_whole(option, value, 1, MAX_CONNECTIONS);
        else if (strcmp(option, "--duration") == 0) s.duration = parse_number(option, value, 0, 0, MAX_DURATION);
        else if (strcmp(option, "--warmup") == 0) s.warmup = parse_number(option, value, 0, 1, MAX_WARMUP);
        else if (strcmp(option, "--timeout") == 0) s.timeout = parse_number(option, value, 0, 0, MAX_TIMEOUT);
        else usage_error("unknown option '%s'", option);
    }
    if (s.port == 0) usage_error("--port is required");
    if (s.rate == 0) usage_error("--rate is required");
    if (s.cert == NULL || s.key == NULL || s.ca == NULL) usage_error("--cert, --key and --ca are required");
    size_t host_length = strlen(s.host), path_length = strlen(s.path);
    if (host_length == 0 || host_length > MAX_HOST_LENGTH) usage_error("--host must have 1 to %d characters", MAX_HOST_LENGTH);
    for (size_t k = 0; k < host_length; k++)
        if ((unsigned char)s.host[k] <= ' ' || (unsigned char)s.host[k] >= 127)
            usage_error("--host may not contain spaces or control characters");
    if (s.path[0] != '/' || path_length > MAX_PATH_LENGTH) usage_error("--path must start with '/' and have at most %d characters, not '%s'", MAX_PATH_LENGTH, s.path);
    for (size_t k = 0; k < path_length; k++)
        if ((unsigned char)s.path[k] <= ' ' || (unsigned char)s.path[k] >= 127)
            usage_error("--path may not contain spaces, control or non-ASCII characters (percent-encode them)");
    if (s.rate * s.duration > MAX_MEASURED)
        usage_error("--rate x --duration is %.0f requests, more than %.0f", s.rate * s.duration, MAX_MEASURED);
    const char *files[][2] = {{"--cert", s.cert}, {"--key", s.key}, {"--ca", s.ca}};
    for (int k = 0; k < 3; k++)
        if (access(files[k][1], R_OK) != 0) usage_error("%s '%s' is not readable: %s", files[k][0], files[k][1], strerror(errno));

    signal(SIGPIPE, SIG_IGN);
    prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0); /* wake on time: intervals may be tens of microseconds */

    char *request = malloc(path_length + host_length + 128);
    if (request == NULL) fatal("out of memory");
    int request_length = sprintf(request, "GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: genomegate-latency-client\r\n\r\n",
                                 s.path, s.host);

    SSL_CTX *context = make_context(&s);
    struct connection *connections = calloc((size_t)s.connections, sizeof *connections);
    int *idle = calloc((size_t)s.connections, sizeof *idle);
    struct pollfd *polls = calloc((size_t)s.connections, sizeof *polls);
    int *polled = calloc((size_t)s.connections, sizeof *polled);
    if (connections == NULL || idle == NULL || polls == NULL || polled == NULL) fatal("out of memory");

    struct run r = {.s = &s, .connections = connections, .idle = idle, .request = request,
                    .request_length = (size_t)request_length};
    int64_t connect_deadline = now_ns() + (int64_t)(s.timeout * 1e9);
    for (long k = 0; k < s.connections; k++) {
        handshake(&connections[k], context, &s, connect_deadline);
        push_idle(&r, (int)k);
    }
    r.alive = s.connections;

    r.warmup_count = ceil_whole(s.warmup * s.rate);                  /* due before start + W */
    r.total = ceil_whole((s.warmup + s.duration) * s.rate);          /* due before start + W + D */
    r.measured = r.total - r.warmup_count;
    if (r.measured < 1) usage_error("--rate x --duration gives no request to measure");
    r.latency = malloc((size_t)r.measured * sizeof *r.latency);
    r.service = malloc((size_t)r.measured * sizeof *r.service);
    r.send_delay = malloc((size_t)r.measured * sizeof *r.send_delay);
    if (r.latency == NULL || r.service == NULL || r.send_delay == NULL) fatal("out of memory for %lld latencies", (long long)r.measured);
    for (int64_t k = 0; k < r.measured; k++) r.send_delay[k] = -1;

    r.start = now_ns() + 1000000; /* 1 ms from now */
    int64_t last_due = due_time(&r, r.total - 1);
    int64_t drain_deadline = last_due + (int64_t)(s.timeout * 1e9);
    int64_t unanswered = 0;
    for (;;) {
        int64_t now = now_ns();
        while (r.scheduled < r.total && due_time(&r, r.scheduled) <= now) r.scheduled++;
        while (r.sent < r.scheduled && r.idle_count > 0) send_request(&r, pop_idle(&r), now);
        if (r.scheduled == r.total && r.finished == r.total) break;
        if (r.alive == 0) fatal("every connection was lost (see above); no figures");
        if (now >= drain_deadline) {
            unanswered = r.total - r.finished;
            break;
        }

        /* sleep until the next request is due (if a connection could take it), or I/O; when
           none is idle, an answer frees one and the loop's top then counts what fell due */
        int64_t wake = drain_deadline;
        if (r.scheduled < r.total && r.idle_count > 0) {
            int64_t next = due_time(&r, r.scheduled);
            if (next < wake) wake = next;
        }
        int n = 0;
        for (long k = 0; k < s.connections; k++) {
            struct connection *c = &connections[k];
            if (c->state == DEAD) continue;
            polls[n] = (struct pollfd){.fd = c->fd, .events = (short)(c->want_write ? POLLOUT : POLLIN)};
            polled[n++] = (int)k;
        }
        int64_t wait = wake - now;
        if (wait < 0) wait = 0;
        struct timespec timeout = {.tv_sec = wait / 1000000000, .tv_nsec = wait % 1000000000};
        int ready = ppoll(polls, (nfds_t)n, &timeout, NULL);
        if (ready < 0) {
            if (errno == EINTR) continue;
            fatal("ppoll: %s", strerror(errno));
        }
        for (int k = 0; k < n && ready > 0; k++) {
            if (polls[k].revents == 0) continue;
            ready--;
            struct connection *c = &connections[polled[k]];
            if (c->state == WRITING) try_write(&r, c);
            if (c->state == READING || c->state == IDLE) try_read(&r, c);
        }
    }

    /* requests never answered: their connections are stuck; they count as errors */
    int64_t measured_unanswered = 0;
    for (long k = 0; k < s.connections; k++) {
        struct connection *c = &connections[k];
        if ((c->state == WRITING || c->state == READING) && c->request >= r.warmup_count) measured_unanswered++;
    }
    /* measured requests that never got a connection */
    int64_t queued_measured = r.total - (r.sent > r.warmup_count ? r.sent : r.warmup_count);
    if (unanswered > 0)
        problem(&r, "%lld requests not answered within %g s after the last one was due", (long long)unanswered, s.timeout);
    r.errors += measured_unanswered + queued_measured;

    qsort(r.latency, (size_t)r.ok, sizeof *r.latency, compare);
    qsort(r.service, (size_t)r.ok, sizeof *r.service, compare);
    int64_t delays = 0;
    for (int64_t k = 0; k < r.measured; k++)
        if (r.send_delay[k] >= 0) r.send_delay[delays++] = r.send_delay[k];
    qsort(r.send_delay, (size_t)delays, sizeof *r.send_delay, compare);

    int64_t first_measured_due = due_time(&r, r.warmup_count);
    double span = (double)(r.last_answer - first_measured_due) / 1e9;
    double achieved = (r.answered_measured > 0 && span > 0) ? (double)r.answered_measured / span : 0;
    printf("offered_rate_per_s %.1f\n", s.rate);
    printf("achieved_rate_per_s %.1f\n", achieved);
    printf("requests %lld\n", (long long)r.measured);
    printf("ok %lld\n", (long long)r.ok);
    printf("errors %lld\n", (long long)r.errors);
    printf("connections_lost %lld\n", (long long)r.lost);
    if (r.ok > 0) {
        double sum = 0;
        for (int64_t k = 0; k < r.ok; k++) sum += (double)r.latency[k];
        printf("mean_us %.0f\n", sum / (double)r.ok / 1000.0);
        printf("p50_us %.0f\n", percentile_us(r.latency, r.ok, 0.50));
        printf("p90_us %.0f\n", percentile_us(r.latency, r.ok, 0.90));
        printf("p99_us %.0f\n", percentile_us(r.latency, r.ok, 0.99));
        printf("p99_9_us %.0f\n", percentile_us(r.latency, r.ok, 0.999));
        printf("max_us %.0f\n", (double)r.latency[r.ok - 1] / 1000.0);
        printf("service_p50_us %.0f\n", percentile_us(r.service, r.ok, 0.50));
        printf("service_p99_us %.0f\n", percentile_us(r.service, r.ok, 0.99));
    } else { /* no latency to report: every measured request failed */
        printf("mean_us n/a\np50_us n/a\np90_us n/a\np99_us n/a\np99_9_us n/a\nmax_us n/a\n");
        printf("service_p50_us n/a\nservice_p99_us n/a\n");
    }
    if (delays > 0) {
        printf("send_delay_p50_us %.0f\n", percentile_us(r.send_delay, delays, 0.50));
        printf("send_delay_p99_us %.0f\n", percentile_us(r.send_delay, delays, 0.99));
    } else {
        printf("send_delay_p50_us n/a\nsend_delay_p99_us n/a\n");
    }
    return 0;
}
