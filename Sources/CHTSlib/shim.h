#ifndef GENOMEGATE_CHTSLIB_H
#define GENOMEGATE_CHTSLIB_H
#include <htslib/hts.h>
#include <htslib/vcf.h>
#include <htslib/kstring.h>
#endif
