#include "CHTSlibShim.h"
#include <htslib/hfile.h>
#include <htslib/bgzf.h>

void gg_hts_silence(void) { hts_set_log_level(HTS_LOG_OFF); }

int gg_hts_is_variant_file(const htsFile *fp) {
    return fp->format.category == variant_data && (fp->format.format == vcf || fp->format.format == bcf);
}

int gg_hts_has_complete_end(htsFile *fp) {
    if (fp->format.compression != bgzf || fp->fp.bgzf == NULL) return 1;
    /* 1: marker present; 2: cannot seek to check (not a regular file); 0: absent; < 0: error. */
    return bgzf_check_EOF(fp->fp.bgzf) == 1;
}

static int uses_bgzf(const htsFile *fp) {
    return !(fp->format.format == vcf && fp->format.compression == no_compression);
}

int64_t gg_hts_bytes_read(htsFile *fp) {
    if (uses_bgzf(fp)) return fp->fp.bgzf && fp->fp.bgzf->fp ? (int64_t)htell(fp->fp.bgzf->fp) : 0;
    return fp->fp.hfile ? (int64_t)htell(fp->fp.hfile) : 0;
}

const char *gg_hts_current_line(const htsFile *fp, size_t *length) {
    if (fp->format.format != vcf || fp->line.s == NULL || fp->line.l == 0) return NULL;
    *length = fp->line.l;
    return fp->line.s;
}

int gg_bcf_read(htsFile *fp, const bcf_hdr_t *header, bcf1_t *record, int *columns) {
    *columns = 0;
    if (fp->format.format != vcf) return bcf_read(fp, header, record);
    int status = hts_getline(fp, '\n', &fp->line);
    if (status < 0) return status;
    int count = 1;
    for (size_t i = 0; i < fp->line.l; i++) count += fp->line.s[i] == '\t';
    *columns = count;
    return vcf_parse(&fp->line, header, record);
}

int64_t gg_hts_line_number(const htsFile *fp) { return fp->format.format == vcf ? fp->lineno : 0; }

int gg_bcf_sample_count(const bcf_hdr_t *header) { return bcf_hdr_nsamples(header); }
const char *gg_bcf_sample_name(const bcf_hdr_t *header, int index) { return header->samples[index]; }

const char *gg_bcf_chromosome(const bcf_hdr_t *header, const bcf1_t *record) {
    return bcf_seqname_safe(header, record);
}
int64_t gg_bcf_position(const bcf1_t *record) { return (int64_t)record->pos + 1; }
int64_t gg_bcf_end(const bcf1_t *record) { return (int64_t)record->pos + (int64_t)record->rlen; }
int gg_bcf_error_code(const bcf1_t *record) { return record->errcode; }
int gg_bcf_allele_count(const bcf1_t *record) { return record->n_allele; }
int gg_bcf_unpack_sites(bcf1_t *record) { return bcf_unpack(record, BCF_UN_FLT); }
const char *gg_bcf_allele(const bcf1_t *record, int index) { return record->d.allele[index]; }

int gg_bcf_filter_count(const bcf1_t *record) {
    /* htslib stores a missing FILTER as zero filters. */
    return record->d.n_flt == 0 ? -1 : record->d.n_flt;
}
const char *gg_bcf_filter_name(const bcf_hdr_t *header, const bcf1_t *record, int index) {
    return bcf_hdr_int2id(header, BCF_DT_ID, record->d.flt[index]);
}

int gg_bcf_get_genotypes(const bcf_hdr_t *header, bcf1_t *record, int32_t **buffer, int *capacity) {
    /* htslib exits the process on a GT stored with a non-integer type (possible only in a
       crafted BCF), so check the stored type first. */
    if (bcf_unpack(record, BCF_UN_FMT) != 0) return -5;
    bcf_fmt_t *gt = bcf_get_fmt(header, record, "GT");
    if (gt == NULL) return -3;
    if (gt->p != NULL && gt->type != BCF_BT_INT8 && gt->type != BCF_BT_INT16 && gt->type != BCF_BT_INT32) return -4;
    return bcf_get_genotypes(header, record, buffer, capacity);
}

int32_t gg_bcf_int32_vector_end(void) { return bcf_int32_vector_end; }
int32_t gg_bcf_int32_missing(void) { return bcf_int32_missing; }

int gg_bcf_error_contig_undefined(void) { return BCF_ERR_CTG_UNDEF; }
int gg_bcf_error_tag_undefined(void) { return BCF_ERR_TAG_UNDEF; }
int gg_bcf_error_column_count(void) { return BCF_ERR_NCOLS; }
int gg_bcf_error_limits(void) { return BCF_ERR_LIMITS; }
int gg_bcf_error_character(void) { return BCF_ERR_CHAR; }
int gg_bcf_error_contig_invalid(void) { return BCF_ERR_CTG_INVALID; }
int gg_bcf_error_tag_invalid(void) { return BCF_ERR_TAG_INVALID; }
