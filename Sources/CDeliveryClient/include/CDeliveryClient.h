#ifndef C_DELIVERY_CLIENT_H
#define C_DELIVERY_CLIENT_H

#include <stddef.h>

/// An HTTP client over libcurl's multi interface, driven by a thread of its own: many
/// POSTs in flight on kept-alive connections, with no thread per request. Thread-safe:
/// `sc_client_post` may be called from any thread; completions run on the client's thread.
typedef struct sc_client sc_client;

/// What became of one request. `status` is the HTTP status (0 when none came), `error`
/// NULL on an answer, else curl's message; `error_kind` 0 none, 1 timed out, 2 connection
/// failed or dropped, 3 bad URL, 4 other. The pointers are valid during the call only.
typedef struct {
    long status;
    int error_kind;
    const char *error;
    const char *retry_after;
    const char *body;
    size_t body_length;
} sc_response;

typedef void (*sc_completion)(void *context, const sc_response *response);

/// A client keeping at most `connections_per_host` connections to one host and port.
/// NULL when curl or the thread cannot be set up.
sc_client *sc_client_create(long connections_per_host);

/// Queues a POST of `body` with `header_count` header lines ("Name: value"), keeping at
/// most `max_response_bytes` of the answer's body. Copies what it needs; `completion`
/// runs exactly once (also when the client is destroyed first).
/// Returns 0, or -1 when the client is shutting down (completion is not called then).
int sc_client_post(sc_client *client, const char *url, const char *const *headers, size_t header_count,
                   const void *body, size_t body_length, long timeout_ms, size_t max_response_bytes,
                   void *context, sc_completion completion);

/// Stops the thread, failing what is still in flight, and frees the client.
void sc_client_destroy(sc_client *client);

#endif
