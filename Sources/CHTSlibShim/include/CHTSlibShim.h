#ifndef GENOMEGATE_CHTSLIB_SHIM_H
#define GENOMEGATE_CHTSLIB_SHIM_H
/* Functions for htslib macros, inline functions and struct fields that Swift
   cannot use directly (or should not depend on). Each is a line or two. */
#include <stdint.h>
#include <stddef.h>
#include <htslib/hts.h>
#include <htslib/vcf.h>

/* Silences htslib's own messages on stderr (errors are reported through return codes). */
void gg_hts_silence(void);

/* 1 when the opened file was recognised as VCF or BCF (plain, gzip or BGZF). */
int gg_hts_is_variant_file(const htsFile *fp);
/* For BGZF input (.vcf.gz by bgzip, .bcf): 1 when the file ends with BGZF's end-of-file
   marker, 0 when it does not (truncated, or still being written); 1 for other input. */
int gg_hts_has_complete_end(htsFile *fp);
/* Bytes of the underlying file consumed so far (compressed bytes for .gz/.bcf). */
int64_t gg_hts_bytes_read(htsFile *fp);
/* For text VCF: the line htslib read last (may be a failed record), or NULL; *length is
   set to its length. htslib's parser replaces column tabs by NUL bytes in place. */
const char *gg_hts_current_line(const htsFile *fp, size_t *length);
/* bcf_read, and for text VCF also the number of tab-separated columns of the line, counted
   before htslib parses it (its parser overwrites separators); *columns is 0 for BCF.
   Text VCF is read as vcf_read does: hts_getline, then vcf_parse. */
int gg_bcf_read(htsFile *fp, const bcf_hdr_t *header, bcf1_t *record, int *columns);
/* For text VCF: the 1-based number of the line read last; 0 for BCF. */
int64_t gg_hts_line_number(const htsFile *fp);

int gg_bcf_sample_count(const bcf_hdr_t *header);
const char *gg_bcf_sample_name(const bcf_hdr_t *header, int index);

/* CHROM of a record, never NULL ("(unknown)" when the id is out of range). */
const char *gg_bcf_chromosome(const bcf_hdr_t *header, const bcf1_t *record);
/* POS as in the VCF (1-based). */
int64_t gg_bcf_position(const bcf1_t *record);
/* END, 1-based inclusive, as htslib computes it (INFO/END when present, else REF length). */
int64_t gg_bcf_end(const bcf1_t *record);
int gg_bcf_error_code(const bcf1_t *record);
int gg_bcf_allele_count(const bcf1_t *record);
/* Unpacks CHROM..FILTER; returns 0 on success. */
int gg_bcf_unpack_sites(bcf1_t *record);
const char *gg_bcf_allele(const bcf1_t *record, int index);
/* Number of FILTER entries after unpacking: -1 when FILTER is missing ('.'). */
int gg_bcf_filter_count(const bcf1_t *record);
const char *gg_bcf_filter_name(const bcf_hdr_t *header, const bcf1_t *record, int index);

/* bcf_get_genotypes: fills *buffer (grown as needed, reused between calls) with
   sample-major GT values; returns the number of values, or a negative code
   (-3 when the record has no GT, -2 when the header declares GT with a type other
   than String, -4 when GT is stored with a non-integer type, -5 when unpacking fails). */
int gg_bcf_get_genotypes(const bcf_hdr_t *header, bcf1_t *record, int32_t **buffer, int *capacity);

/* Encoded GT values. */
int32_t gg_bcf_int32_vector_end(void);
int32_t gg_bcf_int32_missing(void);

/* Error bits of bcf1_t.errcode. */
int gg_bcf_error_contig_undefined(void);
int gg_bcf_error_tag_undefined(void);
int gg_bcf_error_column_count(void);
int gg_bcf_error_limits(void);
int gg_bcf_error_character(void);
int gg_bcf_error_contig_invalid(void);
int gg_bcf_error_tag_invalid(void);

#endif
