#ifndef GENOMEGATE_COPENSSL_SHIM_H
#define GENOMEGATE_COPENSSL_SHIM_H
/* Functions for OpenSSL macros that Swift cannot import. Each is one line. */
#include <stdint.h>
#include <stddef.h>

typedef struct ssl_ctx_st SSL_CTX;
typedef struct ssl_st SSL;
typedef struct bio_st BIO;
typedef struct x509_st X509;
typedef struct stack_st_X509 STACK_OF_X509;

int gg_SSL_CTX_set_min_proto_version(SSL_CTX *ctx, int version);
int gg_SSL_CTX_set_max_proto_version(SSL_CTX *ctx, int version);
long gg_SSL_CTX_set_mode(SSL_CTX *ctx, long mode);
long gg_SSL_CTX_set_session_cache_mode(SSL_CTX *ctx, long mode);
int gg_SSL_CTX_set1_groups_list(SSL_CTX *ctx, const char *list);
int gg_SSL_set_tlsext_host_name(SSL *ssl, const char *name);
int gg_SSL_set_min_proto_version(SSL *ssl, int version);
int gg_SSL_set_max_proto_version(SSL *ssl, int version);

/* The option set a GenomeGate server context uses: no compression, no
   renegotiation, server cipher preference, no TLS 1.0/1.1. */
uint64_t gg_server_options(void);
/* Memory-BIO mode flags: partial writes allowed, moving write buffers. */
long gg_server_modes(void);

int gg_version_tls1_2(void);
int gg_version_tls1_3(void);
long gg_session_cache_server(void);

long gg_BIO_get_mem_data(BIO *bio, char **data);
void gg_OPENSSL_free(void *pointer);

int gg_sk_X509_num(const void *stack);
X509 *gg_sk_X509_value(const void *stack, int index);
void *gg_sk_X509_new_null(void);
int gg_sk_X509_push(void *stack, X509 *cert);
void gg_sk_X509_free(void *stack);
void gg_sk_X509_pop_free(void *stack);

/* X509_NAME_print_ex flags for an RFC 2253 string ("CN=a,O=b,C=JP"). */
unsigned long gg_name_flags_rfc2253(void);

/* Verification callback for server contexts: keeps OpenSSL's verdict unchanged, and
   when a chain fails, remembers the peer's leaf certificate on the SSL so the
   refusal can name who was refused. */
int gg_verify_remember_rejected(int ok, void *store_context);
/* The leaf remembered by gg_verify_remember_rejected, or NULL. The caller owns it (X509_free). */
X509 *gg_SSL_take_rejected_certificate(SSL *ssl);

#endif
