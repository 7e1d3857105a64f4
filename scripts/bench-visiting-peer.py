#!/usr/bin/env python3
"""The peer of scripts/bench-visiting: the visiting analyses done the way an analyst would do
them outside the gateway, with bcftools and Python/scipy on an indexed (bgzip + tabix) VCF.

- Association over a region: `bcftools view -r REGION --regions-overlap 0 -S PEOPLE` (the
  normal samples of the cases and controls), `bcftools query -H -f '%CHROM\t%POS\t%REF\t%ALT[\t%GT]\n'`,
  then per ALT allele the 2x2 allele table [[case alt, case ref], [control alt, control ref]]
  (ref = called alleles that are not this ALT, as GenomeGate counts a split multi-allelic
  site), scipy.stats.fisher_exact (two-sided), chi2_contingency(correction=False) and the odds
  ratio a*d/(b*c).
- Burden over named regions: one `bcftools view -R UNITS.bed --regions-overlap 0 -f PASS -S PEOPLE`,
  per unit the people carrying >= 1 qualifying variant (a sequence allele whose frequency over
  the cases and controls is below the maximum), the table [[case carriers, case non-carriers],
  [control carriers, control non-carriers]], fisher_exact(alternative="greater"), odds ratio.

The people follow the policy as GenomeGate applies it (README "Policy", "Visiting analyses"):
normal samples of the dataset, one per person, no case whose tumour/normal identity check
failed, and with `overseas_only` only samples with overseas consent (a member outside Japan
and the equivalence list). Each result also says whether GenomeGate's airlock would release
the table (the 2x2 rule: people per cell >= k or masked, no zero cell in a non-empty group, no
margin below k), so the two can be compared on what is released too.

Standalone: bench-visiting-peer.py --vcf C.vcf.gz --samples samples.tsv --cases NCIT:C2955,NCIT:C4911 \
    (--region chr1:1000001-2000000 | --units units.bed) prints JSON.
"""
import argparse
import collections
import json
import subprocess
import sys

import scipy.stats

K = 5  # disclosure.minimum_cell_count, the airlock's threshold


def people(samples_tsv, dataset="demo-wgs", overseas_only=False):
    """{normal sample id: cancer type} of the people the approval lets count."""
    rows = []
    with open(samples_tsv) as file:
        header = file.readline().rstrip("\n").split("\t")
        for line in file:
            if line.strip():
                rows.append(dict(zip(header, line.rstrip("\n").split("\t"))))
    mismatched = {row["participant_id"] for row in rows if row["nt_check"] != "pass"}
    chosen, seen = {}, set()
    for row in rows:
        if (row["tissue"] != "normal" or row["dataset_id"] != dataset or row["participant_id"] in mismatched
                or row["participant_id"] in seen or (overseas_only and row["overseas_consent"] != "yes")):
            continue
        seen.add(row["participant_id"])
        chosen[row["sample_id"]] = row["cancer_type_id"]
    return chosen


def groups(cohort, cases, controls=None):
    """(case samples, control samples): the people of the `cases` types; of `controls`, or everyone else."""
    case_set = [s for s, t in cohort.items() if t in cases]
    control_set = [s for s, t in cohort.items() if (t in controls if controls else t not in cases)]
    return case_set, control_set


def _query(vcf, case_samples, control_samples, sample_file, region=None, regions_file=None, pass_only=False):
    """Runs bcftools view | bcftools query; yields (chrom, pos, ref, alts, case GTs, control GTs)."""
    with open(sample_file, "w") as file:
        file.write("\n".join(case_samples + control_samples) + "\n")
    view = ["bcftools", "view", "--regions-overlap", "0", "-S", sample_file, "-Ou"]
    view += ["-r", region] if region else ["-R", regions_file]
    if pass_only:
        view += ["-f", "PASS"]
    view.append(vcf)
    first = subprocess.Popen(view, stdout=subprocess.PIPE)
    second = subprocess.Popen(["bcftools", "query", "-H", "-f", "%CHROM\t%POS\t%REF\t%ALT[\t%GT]\n"],
                              stdin=first.stdout, stdout=subprocess.PIPE, text=True, bufsize=1 << 20)
    first.stdout.close()
    header = second.stdout.readline().rstrip("\n").split("\t")
    # "# [1]CHROM", ..., "[5]GG000002-N:GT": sample columns from the fifth on.
    names = [column.split("]", 1)[1].rsplit(":", 1)[0] for column in header[4:]]
    case_names = set(case_samples)
    case_columns = [i for i, name in enumerate(names) if name in case_names]
    control_columns = [i for i, name in enumerate(names) if name not in case_names]
    for line in second.stdout:
        fields = line.rstrip("\n").split("\t")
        gts = fields[4:]
        yield (fields[0], int(fields[1]), fields[2], fields[3].split(","),
               [gts[i] for i in case_columns], [gts[i] for i in control_columns])
    second.wait()
    first.wait()
    if first.returncode or second.returncode:
        raise RuntimeError(f"bcftools failed ({first.returncode}, {second.returncode})")


_allele_cache = {}


def _alleles(gt):
    """The allele indexes of a genotype string ('0/1', '1|2', './.', '.'), missing ones left out."""
    known = _allele_cache.get(gt)
    if known is None:
        known = tuple(int(a) for a in gt.replace("|", "/").split("/") if a != ".")
        _allele_cache[gt] = known
    return known


def _tally(gts, alternates):
    """Per ALT index (1-based): (allele count, carriers); plus the allele number."""
    counts = collections.Counter(gts)
    ac = [0] * (alternates + 1)
    carriers = [0] * (alternates + 1)
    an = 0
    for gt, n in counts.items():
        alleles = _alleles(gt)
        an += n * len(alleles)
        for allele in set(alleles):
            if 0 < allele <= alternates:
                ac[allele] += n * alleles.count(allele)
                carriers[allele] += n
    return ac, carriers, an


def released(people_cells, table):
    """Whether GenomeGate's TableAirlock passes the table: people per cell, zeros, margins."""
    a, b, c, d = table
    rows = [a + b, a + b, c + d, c + d]
    if any(0 < n < K for n in people_cells):
        return False
    if any(n == 0 and rows[i] > 0 for i, n in enumerate(people_cells)):
        return False
    return all(m == 0 or m >= K for m in (a + b, c + d, a + c, b + d))


def odds_ratio(a, b, c, d):
    return (a * d) / (b * c) if b * c > 0 and a * d > 0 else None


def association(vcf, region, case_samples, control_samples, sample_file):
    """Per listed variant (chrom:pos:ref:alt; at least k carriers): table, pFisher, chiSquare, pChiSquare, oddsRatio, released."""
    results = {}
    for chrom, pos, ref, alts, case_gts, control_gts in _query(vcf, case_samples, control_samples, sample_file, region=region):
        case_ac, case_carriers, case_an = _tally(case_gts, len(alts))
        control_ac, control_carriers, control_an = _tally(control_gts, len(alts))
        for index, alt in enumerate(alts, start=1):
            # Listed only when at least k people of the groups carry it (as queries list variants).
            if case_carriers[index] + control_carriers[index] < K:
                continue
            a, b = case_ac[index], case_an - case_ac[index]
            c, d = control_ac[index], control_an - control_ac[index]
            entry = {"table": [[a, b], [c, d]],
                     "released": released([case_carriers[index], (b + 1) // 2, control_carriers[index], (d + 1) // 2], (a, b, c, d))}
            if entry["released"]:
                entry["pFisher"] = float(scipy.stats.fisher_exact([[a, b], [c, d]]).pvalue)
                chi2, p, _, _ = scipy.stats.chi2_contingency([[a, b], [c, d]], correction=False)
                entry["chiSquare"], entry["pChiSquare"] = float(chi2), float(p)
                entry["oddsRatio"] = odds_ratio(a, b, c, d)
            results[f"{chrom}:{pos}:{ref}:{alt}"] = entry
    return results


def _is_sequence(allele):
    return bool(allele) and all(base in "ACGTNacgtn" for base in allele)


def burden(vcf, units, case_samples, control_samples, sample_file, regions_file, maximum_frequency=0.01, pass_only=True):
    """Per unit name: table, pValue (one-sided, greater), oddsRatio, released. `units`: [(name, chrom, start, end)]."""
    with open(regions_file, "w") as file:
        for _, chrom, start, end in units:
            file.write(f"{chrom}\t{start}\t{end}\n")  # -R: 1-based, inclusive (not BED unless named .bed)
    by_chrom = collections.defaultdict(list)
    for name, chrom, start, end in units:
        by_chrom[chrom].append((start, end, name))
    case_carriers = {name: set() for name, *_ in units}
    control_carriers = {name: set() for name, *_ in units}
    for chrom, pos, ref, alts, case_gts, control_gts in _query(vcf, case_samples, control_samples, sample_file,
                                                                regions_file=regions_file, pass_only=pass_only):
        unit = next((name for start, end, name in by_chrom.get(chrom, ()) if start <= pos <= end), None)
        if unit is None:
            continue
        case_ac, _, case_an = _tally(case_gts, len(alts))
        control_ac, _, control_an = _tally(control_gts, len(alts))
        an = case_an + control_an
        for index, alt in enumerate(alts, start=1):
            if not _is_sequence(alt) or an == 0 or (case_ac[index] + control_ac[index]) / an >= maximum_frequency:
                continue
            for gts, carriers in ((case_gts, case_carriers[unit]), (control_gts, control_carriers[unit])):
                carriers.update(i for i, gt in enumerate(gts) if index in _alleles(gt))
    results = {}
    n_cases, n_controls = len(case_samples), len(control_samples)
    for name, *_ in units:
        a, c = len(case_carriers[name]), len(control_carriers[name])
        b, d = n_cases - a, n_controls - c
        entry = {"table": [[a, b], [c, d]], "released": released([a, b, c, d], (a, b, c, d))}
        if entry["released"]:
            entry["pValue"] = float(scipy.stats.fisher_exact([[a, b], [c, d]], alternative="greater").pvalue)
            entry["oddsRatio"] = odds_ratio(a, b, c, d)
        results[name] = entry
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--vcf", required=True)
    parser.add_argument("--samples", required=True, help="the demo's samples.tsv")
    parser.add_argument("--cases", required=True, help="comma-separated cancer types")
    parser.add_argument("--controls", help="comma-separated cancer types (default: everyone else)")
    parser.add_argument("--overseas-only", action="store_true")
    parser.add_argument("--region", help="CHROM:START-END (1-based, inclusive)")
    parser.add_argument("--units", help="lines: NAME CHROM START END")
    parser.add_argument("--work", default="/tmp", help="folder for the sample and region lists")
    args = parser.parse_args()
    cohort = people(args.samples, overseas_only=args.overseas_only)
    cases, controls = groups(cohort, set(args.cases.split(",")), set(args.controls.split(",")) if args.controls else None)
    if args.region:
        result = association(args.vcf, args.region, cases, controls, f"{args.work}/peer-samples.txt")
    elif args.units:
        with open(args.units) as file:
            units = [(n, c, int(s), int(e)) for n, c, s, e in (line.split() for line in file if line.strip())]
        result = burden(args.vcf, units, cases, controls, f"{args.work}/peer-samples.txt", f"{args.work}/peer-regions.txt")
    else:
        sys.exit("bench-visiting-peer: --region or --units is needed")
    json.dump({"cases": len(cases), "controls": len(controls), "results": result}, sys.stdout, indent=1)


if __name__ == "__main__":
    main()
