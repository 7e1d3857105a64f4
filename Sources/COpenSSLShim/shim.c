#include "COpenSSLShim.h"
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/crypto.h>

int gg_SSL_CTX_set_min_proto_version(SSL_CTX *ctx, int v) { return (int)SSL_CTX_set_min_proto_version(ctx, v); }
int gg_SSL_CTX_set_max_proto_version(SSL_CTX *ctx, int v) { return (int)SSL_CTX_set_max_proto_version(ctx, v); }
long gg_SSL_CTX_set_mode(SSL_CTX *ctx, long mode) { return SSL_CTX_set_mode(ctx, mode); }
long gg_SSL_CTX_set_session_cache_mode(SSL_CTX *ctx, long mode) { return SSL_CTX_set_session_cache_mode(ctx, mode); }
int gg_SSL_CTX_set1_groups_list(SSL_CTX *ctx, const char *list) { return (int)SSL_CTX_set1_groups_list(ctx, list); }
int gg_SSL_set_tlsext_host_name(SSL *ssl, const char *name) { return (int)SSL_set_tlsext_host_name(ssl, name); }
int gg_SSL_set_min_proto_version(SSL *ssl, int v) { return (int)SSL_set_min_proto_version(ssl, v); }
int gg_SSL_set_max_proto_version(SSL *ssl, int v) { return (int)SSL_set_max_proto_version(ssl, v); }

uint64_t gg_server_options(void) {
    return SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE
         | SSL_OP_NO_SSLv3 | SSL_OP_NO_TLSv1 | SSL_OP_NO_TLSv1_1;
}
/* NO_AUTO_CHAIN: send the chain of the certificate file as it is. Without it OpenSSL builds a
   chain from the verify store (the client CA bundle) on every handshake and sends the root too. */
long gg_server_modes(void) {
    return SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_RELEASE_BUFFERS
         | SSL_MODE_NO_AUTO_CHAIN;
}
int gg_version_tls1_2(void) { return TLS1_2_VERSION; }
int gg_version_tls1_3(void) { return TLS1_3_VERSION; }
/* Server-side sessions live in the tickets only (as with nginx's default): OpenSSL keeps no
   internal store that every full handshake would add to and that it would periodically sweep. */
long gg_session_cache_server(void) { return SSL_SESS_CACHE_SERVER | SSL_SESS_CACHE_NO_INTERNAL; }

long gg_BIO_get_mem_data(BIO *bio, char **data) { return BIO_get_mem_data(bio, data); }
void gg_OPENSSL_free(void *pointer) { OPENSSL_free(pointer); }

int gg_sk_X509_num(const void *s) { return sk_X509_num((const STACK_OF(X509) *)s); }
X509 *gg_sk_X509_value(const void *s, int i) { return sk_X509_value((const STACK_OF(X509) *)s, i); }
void *gg_sk_X509_new_null(void) { return sk_X509_new_null(); }
int gg_sk_X509_push(void *s, X509 *c) { return sk_X509_push((STACK_OF(X509) *)s, c); }
void gg_sk_X509_free(void *s) { sk_X509_free((STACK_OF(X509) *)s); }
void gg_sk_X509_pop_free(void *s) { sk_X509_pop_free((STACK_OF(X509) *)s, X509_free); }

unsigned long gg_name_flags_rfc2253(void) { return XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB; }

int gg_verify_remember_rejected(int ok, void *store_context) {
    X509_STORE_CTX *store = (X509_STORE_CTX *)store_context;
    if (ok) return ok;
    SSL *ssl = X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx());
    X509 *leaf = X509_STORE_CTX_get0_cert(store);
    if (ssl != NULL && leaf != NULL && SSL_get_app_data(ssl) == NULL && X509_up_ref(leaf) == 1) {
        SSL_set_app_data(ssl, leaf);
    }
    return ok;
}

X509 *gg_SSL_take_rejected_certificate(SSL *ssl) {
    X509 *leaf = (X509 *)SSL_get_app_data(ssl);
    SSL_set_app_data(ssl, NULL);
    return leaf;
}
