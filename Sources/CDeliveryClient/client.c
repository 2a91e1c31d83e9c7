#include "CDeliveryClient.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>


typedef struct request {
    struct request *next;
    /* The requests the multi handle holds, for failing them at shutdown. */
    struct request *active_previous, *active_next;
    int active;
    CURL *easy;
    struct curl_slist *headers;
    char *url;
    void *context;
    sc_completion completion;
    char retry_after[128];
    char *body;          /* body_limit + 1 bytes */
    size_t body_limit;
    size_t body_length;
    char error[CURL_ERROR_SIZE];
} request;

struct sc_client {
    CURLM *multi;
    pthread_t thread;
    pthread_mutex_t lock;
    request *queued;   /* submitted, not yet added to the multi handle */
    request *active;   /* added to the multi handle: the client's thread only */
    int stopping;
};

static size_t on_body(char *data, size_t size, size_t count, void *user) {
    request *r = user;
    size_t length = size * count;
    size_t room = r->body_limit - r->body_length;
    size_t take = length < room ? length : room;
    memcpy(r->body + r->body_length, data, take);
    r->body_length += take;
    return length;
}

static size_t on_header(char *data, size_t size, size_t count, void *user) {
    request *r = user;
    size_t length = size * count;
    static const char name[] = "retry-after:";
    if (length > sizeof name - 1 && strncasecmp(data, name, sizeof name - 1) == 0) {
        const char *value = data + sizeof name - 1;
        size_t value_length = length - (sizeof name - 1);
        while (value_length > 0 && (*value == ' ' || *value == '\t')) { value++; value_length--; }
        while (value_length > 0 && (value[value_length - 1] == '\r' || value[value_length - 1] == '\n')) value_length--;
        if (value_length >= sizeof r->retry_after) value_length = sizeof r->retry_after - 1;
        memcpy(r->retry_after, value, value_length);
        r->retry_after[value_length] = 0;
    }
    return length;
}

static void unlink_active(sc_client *client, request *r) {
    if (!r->active) return;
    if (r->active_previous) r->active_previous->active_next = r->active_next; else client->active = r->active_next;
    if (r->active_next) r->active_next->active_previous = r->active_previous;
    r->active = 0;
}

static void finish(request *r, CURLcode code) {
    sc_response response = {0};
    if (code == CURLE_OK) {
        curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &response.status);
        response.retry_after = r->retry_after[0] ? r->retry_after : NULL;
        r->body[r->body_length] = 0;
        response.body = r->body;
        response.body_length = r->body_length;
    } else {
        switch (code) {
        case CURLE_OPERATION_TIMEDOUT: response.error_kind = 1; break;
        case CURLE_COULDNT_CONNECT: case CURLE_COULDNT_RESOLVE_HOST: case CURLE_GOT_NOTHING: case CURLE_RECV_ERROR:
        case CURLE_SEND_ERROR: case CURLE_PARTIAL_FILE: case CURLE_SSL_CONNECT_ERROR: case CURLE_WEIRD_SERVER_REPLY:
            response.error_kind = 2; break;
        case CURLE_URL_MALFORMAT: case CURLE_UNSUPPORTED_PROTOCOL: response.error_kind = 3; break;
        default: response.error_kind = 4; break;
        }
        response.error = r->error[0] ? r->error : curl_easy_strerror(code);
    }
    r->completion(r->context, &response);
    curl_easy_cleanup(r->easy);
    curl_slist_free_all(r->headers);
    free(r->url);
    free(r->body);
    free(r);
}

static void *run(void *argument) {
    sc_client *client = argument;
    for (;;) {
        pthread_mutex_lock(&client->lock);
        request *queued = client->queued;
        client->queued = NULL;
        int stopping = client->stopping;
        pthread_mutex_unlock(&client->lock);
        while (queued) {
            request *next = queued->next;
            if (stopping || curl_multi_add_handle(client->multi, queued->easy) != CURLM_OK) {
                finish(queued, CURLE_ABORTED_BY_CALLBACK);
            } else {
                queued->active = 1;
                queued->active_previous = NULL;
                queued->active_next = client->active;
                if (client->active) client->active->active_previous = queued;
                client->active = queued;
            }
            queued = next;
        }
        int running = 0;
        curl_multi_perform(client->multi, &running);
        CURLMsg *message;
        int left;
        while ((message = curl_multi_info_read(client->multi, &left))) {
            if (message->msg != CURLMSG_DONE) continue;
            CURL *easy = message->easy_handle;
            CURLcode code = message->data.result;
            request *r = NULL;
            curl_easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&r);
            curl_multi_remove_handle(client->multi, easy);
            unlink_active(client, r);
            finish(r, code);
        }
        if (stopping) {
            /* Fail what is still in flight, then leave. */
            while (client->active) {
                request *r = client->active;
                curl_multi_remove_handle(client->multi, r->easy);
                unlink_active(client, r);
                finish(r, CURLE_ABORTED_BY_CALLBACK);
            }
            return NULL;
        }
        curl_multi_poll(client->multi, NULL, 0, 1000, NULL);
    }
}

static void global_init(void) { curl_global_init(CURL_GLOBAL_DEFAULT); }

sc_client *sc_client_create(long connections_per_host) {
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, global_init);
    sc_client *client = calloc(1, sizeof *client);
    if (!client) return NULL;
    client->multi = curl_multi_init();
    if (!client->multi) { free(client); return NULL; }
    curl_multi_setopt(client->multi, CURLMOPT_MAX_HOST_CONNECTIONS, connections_per_host);
    curl_multi_setopt(client->multi, CURLMOPT_MAXCONNECTS, connections_per_host * 16);
    pthread_mutex_init(&client->lock, NULL);
    if (pthread_create(&client->thread, NULL, run, client) != 0) {
        curl_multi_cleanup(client->multi);
        pthread_mutex_destroy(&client->lock);
        free(client);
        return NULL;
    }
    return client;
}

int sc_client_post(sc_client *client, const char *url, const char *const *headers, size_t header_count,
                   const void *body, size_t body_length, long timeout_ms, size_t max_response_bytes,
                   void *context, sc_completion completion) {
    request *r = calloc(1, sizeof *r);
    if (!r) return -1;
    r->body_limit = max_response_bytes;
    r->body = malloc(max_response_bytes + 1);
    if (!r->body) { free(r); return -1; }
    r->url = strdup(url);
    r->context = context;
    r->completion = completion;
    r->easy = curl_easy_init();
    if (!r->url || !r->easy) {
        if (r->easy) curl_easy_cleanup(r->easy);
        free(r->url);
        free(r->body);
        free(r);
        return -1;
    }
    for (size_t i = 0; i < header_count; i++) r->headers = curl_slist_append(r->headers, headers[i]);
    /* curl would otherwise wait for a 100 Continue before sending bodies over 1 kB. */
    r->headers = curl_slist_append(r->headers, "Expect:");
    CURL *easy = r->easy;
    curl_easy_setopt(easy, CURLOPT_URL, r->url);
    curl_easy_setopt(easy, CURLOPT_PRIVATE, r);
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, r->headers);
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_length);
    curl_easy_setopt(easy, CURLOPT_COPYPOSTFIELDS, body_length ? body : "");
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, r);
    curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(easy, CURLOPT_HEADERDATA, r);
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, r->error);
    curl_easy_setopt(easy, CURLOPT_TCP_NODELAY, 1L);

    pthread_mutex_lock(&client->lock);
    if (client->stopping) {
        pthread_mutex_unlock(&client->lock);
        curl_easy_cleanup(easy);
        curl_slist_free_all(r->headers);
        free(r->url);
        free(r->body);
        free(r);
        return -1;
    }
    r->next = client->queued;
    client->queued = r;
    pthread_mutex_unlock(&client->lock);
    curl_multi_wakeup(client->multi);
    return 0;
}

void sc_client_destroy(sc_client *client) {
    pthread_mutex_lock(&client->lock);
    client->stopping = 1;
    pthread_mutex_unlock(&client->lock);
    curl_multi_wakeup(client->multi);
    pthread_join(client->thread, NULL);
    curl_multi_cleanup(client->multi);
    pthread_mutex_destroy(&client->lock);
    free(client);
}
