"""Differencing and tracker attacks (two cohorts that differ by one person give that
person's genotypes), over filters, datasets, range/point/bracket rephrasings and time
(a withdrawal, an ingest); and the averaging attack against noise."""

import itertools
import os

import numpy as np

from .attacks import K, WINDOW, Stop, Tally, classify, frequency_answers, variant_query
from .cohort import QC_PASS, TISSUE_TERMS
from .lab import LATE_DATASET


def person_windows(cohort, person):
    carried = cohort.carried_rarest_first(person)
    keys = sorted({(cohort.alleles[a][0], (cohort.alleles[a][1] - 1) // WINDOW) for a in carried})
    return [(chrom, w * WINDOW, (w + 1) * WINDOW) for chrom, w in keys]


def af_series(client, approval, windows, extra, tally, strata_supported):
    """{allele: AC} over the windows; stops at the first exhausted budget."""
    found, queries = {}, 0
    for chrom, start, end in windows:
        query = {"referenceName": chrom, "start": start, "end": end, **extra}
        if strata_supported:
            query["strata"] = "false"
        try:
            queries += 1
            status, answer = client.request("GET", "/api/aggregate/allele-frequency", query=query, approval=approval)
            if not classify(status, answer, tally, approval):
                continue
        except Stop:
            break
        found.update({a: ac for a, (ac, _) in frequency_answers(answer, cohort_of(client), tally).items()})
    return found, queries


def cohort_of(client):
    return client.lab.cohort


def recovery(cohort, person, first, second, samples_of_person):
    """Fraction of the person's carried alleles whose genotype (first - second) / samples reads exactly,
    and whether anything of theirs shows (a membership signal)."""
    genotype = cohort.genotype_of(person)
    carried = cohort.carried_rarest_first(person)
    read = shown = 0
    for allele in carried:
        if allele in first and allele in second:
            difference = (first[allele] - second[allele]) / samples_of_person
            shown += difference != 0
            read += difference == genotype[allele]
    return (read / len(carried) if len(carried) else 0.0), bool(shown)


def summarise(name, description, rows, tally, extra=None):
    inside = [r for r in rows if r["in_cohort"]]
    outside = [r for r in rows if not r["in_cohort"]]
    result = {
        "attack": name, "description": description, "targets": rows, "answers": tally.counts, "refusals": tally.first_messages,
        "genotypes_recovered": float(np.mean([r["recovered"] for r in inside])) if inside else None,
        "membership_power": float(np.mean([r["detected"] for r in inside])) if inside else None,
        "false_positive_rate": float(np.mean([r["detected"] for r in outside])) if outside else None,
        "queries_made": sum(r["queries"] for r in rows),
    }
    result.update(extra or {})
    return result


def withdrawal(lab, cohort, targets_in, targets_out, strata_supported):
    """Answers before and after the secretariat records the target's withdrawal."""
    tally, rows = Tally(), []
    client = lab.client()
    for person in targets_in + targets_out:
        approval = lab.new_approval("time channel: withdrawal")
        windows = person_windows(cohort, person)
        before, made_before = af_series(client, approval, windows, {}, tally, strata_supported)
        lab.withdraw(person)
        after, made_after = af_series(client, approval, windows, {}, tally, strata_supported)
        recovered, detected = recovery(cohort, person, before, after, 2)
        rows.append({"person": person, "in_cohort": person in targets_in, "recovered": recovered,
                     "detected": detected, "queries": made_before + made_after})
    return summarise("diff-time-withdrawal", "allele-frequency before and after a withdrawal of the target (secretariat)", rows, tally)


def write_late_cohort(cohort, folder):
    """The late people as a VCF (tumour and normal share the germline) and a sample sheet."""
    os.makedirs(folder, exist_ok=True)
    vcf, sheet = os.path.join(folder, "late.vcf"), os.path.join(folder, "late.tsv")
    source = os.path.join(cohort.folder, "withheld.vcf")
    columns = {row["participant_id"]: index for index, row in enumerate(cohort.withheld_rows)}
    picks = [9 + columns[p] for p in cohort.late]
    with open(source) as reader, open(vcf, "w") as writer:
        for line in reader:
            if line.startswith("##"):
                writer.write(line)
                continue
            fields = line.rstrip("\n").split("\t")
            if line.startswith("#CHROM"):
                names = [row["sample_id"][:-2] for row in cohort.late_rows]
                writer.write("\t".join(fields[:9] + [f"{n}-{t}" for n in names for t in "TN"]) + "\n")
                continue
            writer.write("\t".join(fields[:9] + [fields[i] for i in picks for _ in "TN"]) + "\n")
    template = next(row for row in cohort.samples if row["nt_check"] != "mismatch")
    header = list(template.keys())
    with open(sheet, "w") as writer:
        writer.write("\t".join(header) + "\n")
        for row in cohort.late_rows:
            for tissue, depth in (("tumour", "130.0"), ("normal", "35.0")):
                values = dict(template, sample_id=f"{row['sample_id'][:-2]}-{tissue[0].upper()}", participant_id=row["participant_id"],
                              dataset_id=LATE_DATASET, tissue=tissue, cancer_type_id=row["cancer_type_id"],
                              cancer_type_label=row["cancer_type_label"], mapping_rate="99.90", duplicate_rate="10.00", mean_depth=depth)
                writer.write("\t".join(values[h] for h in header) + "\n")
    return vcf, sheet


def ingest_and_datasets(lab, cohort, strata_supported, work):
    """Time: the same questions before and after a late person is ingested (dataset demo-wgs-late);
    datasets: after it, datasets=demo-wgs versus demo-wgs plus the late dataset."""
    tally_time, tally_sets = Tally(), Tally()
    client = lab.client()
    person = cohort.late[0]
    windows = person_windows(cohort, person)
    approval = lab.new_approval("time channel: ingest")
    before, made_before = af_series(client, approval, windows, {}, tally_time, strata_supported)
    vcf, sheet = write_late_cohort(cohort, work)
    lab.ingest(vcf, sheet, LATE_DATASET)
    after, made_after = af_series(client, approval, windows, {}, tally_time, strata_supported)
    recovered, detected = recovery(cohort, person, after, before, 2)
    time_result = summarise("diff-time-ingest", "allele-frequency before and after one case is ingested",
                            [{"person": person, "in_cohort": True, "recovered": recovered, "detected": detected,
                              "queries": made_before + made_after}], tally_time)
    approval = lab.new_approval("dataset channel")
    both, made_both = af_series(client, approval, windows, {"datasets": f"demo-wgs,{LATE_DATASET}"}, tally_sets, strata_supported)
    main, made_main = af_series(client, approval, windows, {"datasets": "demo-wgs"}, tally_sets, strata_supported)
    recovered, detected = recovery(cohort, person, both, main, 2)
    sets_result = summarise("diff-datasets", f"allele-frequency with datasets=demo-wgs versus demo-wgs,{LATE_DATASET} (one case apart)",
                            [{"person": person, "in_cohort": True, "recovered": recovered, "detected": detected,
                              "queries": made_both + made_main}], tally_sets)
    return time_result, sets_result


def filter_sets(cohort, overseas_only):
    """Every filter combination: no/one/two cancer types x any/normal/tumour x with/without qc-pass."""
    types = sorted({row["cancer_type_id"] for row in cohort.samples})
    type_sets = [()] + [(t,) for t in types] + list(itertools.combinations(types, 2))
    for types_chosen, tissue, qc in itertools.product(type_sets, [None, "normal", "tumour"], [False, True]):
        filters = list(types_chosen) + ([TISSUE_TERMS[tissue]] if tissue else []) + ([QC_PASS] if qc else [])
        yield filters, frozenset(cohort.cohort_columns(types_chosen, tissue, qc, overseas_only=overseas_only))


def filters_tracker(lab, cohort, strata_supported, limit):
    """Pairs of filter lists whose cohorts are nested and differ by people's samples; those one
    person apart are attacked (the attacker learns the person from metadata, e.g. cohort-summary).
    As researcher-jp (whole cohort) and researcher-us (overseas-consent samples only)."""
    tally, rows = Tally(), []
    owner = {column: row["participant_id"] for column, row in enumerate(cohort.samples)}
    smallest, small_pairs, single, filter_lists = None, 0, [], 0
    for member, overseas_only in (("researcher-jp", False), ("researcher-us", True)):
        sets = [(f, c) for f, c in filter_sets(cohort, overseas_only) if len(c) >= 20]
        filter_lists += len(sets)
        by_size = sorted(sets, key=lambda item: len(item[1]))
        for (small_filters, small), (large_filters, large) in itertools.combinations(by_size, 2):
            if len(large) <= len(small) or not small < large:
                continue
            people = {owner[c] for c in large - small}
            smallest = len(people) if smallest is None else min(smallest, len(people))
            if len(people) < K:
                small_pairs += 1
            if len(people) == 1:
                single.append((member, large_filters, small_filters, people.pop(), len(large - small)))
    # One attack per person (the first pair found isolating them), researcher-jp first.
    chosen, seen = [], set()
    for entry in single:
        if entry[3] not in seen:
            seen.add(entry[3])
            chosen.append(entry)
    for member, large_filters, small_filters, person, samples in chosen[:limit]:
        client = lab.client(member)
        approval = lab.new_approval("filter tracker", member)
        windows = person_windows(cohort, person)
        first, made_first = af_series(client, approval, windows, {"filters": ",".join(large_filters)}, tally, strata_supported)
        second, made_second = af_series(client, approval, windows, {"filters": ",".join(small_filters)}, tally, strata_supported)
        recovered, detected = recovery(cohort, person, first, second, samples)
        rows.append({"person": person, "in_cohort": True, "recovered": recovered, "detected": detected,
                     "queries": made_first + made_second, "member": member, "filters": [large_filters, small_filters]})
    return summarise("diff-filters", "allele-frequency over two filter lists (qc-pass, cancer types, tissue) one person apart, "
                     "as researcher-jp and researcher-us (overseas-consent samples only)",
                     rows, tally, {"filter_lists": filter_lists, "nested_pairs_fewer_than_k_people": small_pairs,
                                   "pairs_one_person_apart": len(single), "people_isolated": len(seen),
                                   "smallest_difference_people": smallest})


def beacon_count(client, approval, query, tally, method="GET"):
    """A biosamples count (None: hidden), or Stop."""
    if method == "POST":
        parameters = {k: ([v] if k in ("start", "end") and not isinstance(v, list) else v) for k, v in query.items()}
        status, answer = client.request("POST", "/api/biosamples", approval=approval,
                                        body={"query": {"requestParameters": parameters, "requestedGranularity": "count"}})
    else:
        status, answer = client.request("GET", "/api/biosamples", approval=approval, query={**query, "requestedGranularity": "count"})
    if not classify(status, answer, tally, approval):
        return None
    count = answer["responseSummary"].get("numTotalResults")
    return count if isinstance(count, int) else None


def shown_alleles(cohort):
    """Alleles carried by at least K people of the cohort (what the gateway lists), by truth."""
    carriers = (cohort.member_genotypes > 0).sum(axis=0)
    return [a for a in np.flatnonzero((carriers >= K) & cohort.germline)]


def range_point(lab, cohort, pairs_limit):
    """Count over a range holding two adjacent variants minus each point count: carriers of one and
    not the other; a bracket query over the same variants must answer as the range does."""
    tally = Tally()
    client = lab.client()
    approval = lab.new_approval("range, point and bracket differencing")
    shown = set(shown_alleles(cohort))
    # Neighbours in the VCF (no other site between them), both listed by the gateway.
    pairs = [(a, a + 1) for a in range(len(cohort.alleles) - 1)
             if a in shown and a + 1 in shown and cohort.alleles[a][0] == cohort.alleles[a + 1][0]
             and 0 < cohort.alleles[a + 1][1] - cohort.alleles[a][1] < 1_000_000]
    revealed = tried = queries = bracket_same = 0
    for a, b in pairs[:pairs_limit]:
        chrom, start_a = cohort.alleles[a][0], cohort.alleles[a][1] - 1
        start_b = cohort.alleles[b][1] - 1
        try:
            union = beacon_count(client, approval, {"referenceName": chrom, "start": start_a, "end": start_b + 1}, tally)
            count_a = beacon_count(client, approval, variant_query(cohort, a), tally)
            count_b = beacon_count(client, approval, variant_query(cohort, b), tally)
            bracket = beacon_count(client, approval, {"referenceName": chrom, "start": f"{start_a},{start_b}",
                                                      "end": f"{start_a + 1},{start_b + 1000}"}, tally)
            queries += 4
        except Stop:
            break
        tried += 1
        bracket_same += bracket == union
        if None in (union, count_a, count_b):
            continue
        for value in (union - count_a, union - count_b, count_a + count_b - union):
            revealed += 0 < value < K
    return {"attack": "diff-range-point", "description": "biosamples counts: a range of two variants minus each point (and a bracket rephrasing)",
            "pairs_tried": tried, "small_counts_revealed": revealed, "bracket_answers_equal_range": bracket_same,
            "queries_made": queries, "answers": tally.counts, "refusals": tally.first_messages}


def averaging(lab, cohort, sites, repeats, strata_supported):
    """The same question repeated, rephrased (GET/POST, range/point), and through overlapping regions."""
    tally = Tally()
    client = lab.client()
    approval = lab.new_approval("averaging")
    columns = cohort.cohort_columns()
    truth_ac = cohort.true_allele_counts(columns)
    truth_carriers = (cohort.sample_genotypes[:, columns] > 0).sum(axis=1)
    frequencies = cohort.member_genotypes.mean(axis=0) / 2
    common = [a for a in shown_alleles(cohort) if frequencies[a] >= 0.05][:sites]
    differing, single_errors, averaged_errors, queries = {}, [], [], 0
    try:
        for allele in common:
            chrom, pos = cohort.alleles[allele][:2]
            point = variant_query(cohort, allele)
            variants = {"af-repeat": [], "count-repeat": [], "count-rephrased": [], "af-overlapping": []}
            for _ in range(repeats):
                query = dict(point, **({"strata": "false"} if strata_supported else {}))
                status, answer = client.request("GET", "/api/aggregate/allele-frequency", query=query, approval=approval)
                if classify(status, answer, tally, approval):
                    variants["af-repeat"].append(frequency_answers(answer, cohort, tally).get(allele, (None,))[0])
                variants["count-repeat"].append(beacon_count(client, approval, point, tally))
            variants["count-rephrased"] = [variants["count-repeat"][0], beacon_count(client, approval, point, tally, "POST"),
                                           beacon_count(client, approval, dict(point, end=pos), tally)]
            for low, high in ((pos - 1 - 2000, pos + 1000), (pos - 1 - 1000, pos + 2000)):
                query = {"referenceName": chrom, "start": max(0, low), "end": high, **({"strata": "false"} if strata_supported else {})}
                status, answer = client.request("GET", "/api/aggregate/allele-frequency", query=query, approval=approval)
                if classify(status, answer, tally, approval):
                    variants["af-overlapping"].append(frequency_answers(answer, cohort, tally).get(allele, (None,))[0])
            queries += 2 * repeats + 2 + 2
            for kind, values in variants.items():
                differing.setdefault(kind, 0)
                differing[kind] += len(set(values)) > 1
            values = [v for v in variants["af-repeat"] if v is not None]
            if values:
                single_errors.append(abs(values[0] - truth_ac[allele]))
                averaged_errors.append(abs(np.mean(values) - truth_ac[allele]))
            counts = [v for v in variants["count-repeat"] if v is not None]
            if counts and counts[0] != truth_carriers[allele]:
                differing.setdefault("count-differs-from-truth", 0)
                differing["count-differs-from-truth"] += 1
    except Stop:
        pass
    return {"attack": "averaging", "description": f"{repeats} repeats, GET/POST/range rephrasings and two overlapping regions per common site",
            "sites": len(common), "questions_with_differing_answers": differing,
            "mean_abs_error_single": float(np.mean(single_errors)) if single_errors else None,
            "mean_abs_error_averaged": float(np.mean(averaged_errors)) if averaged_errors else None,
            "averaging_gain": (float(np.mean(single_errors)) - float(np.mean(averaged_errors))) if single_errors else None,
            "queries_made": queries, "answers": tally.counts, "refusals": tally.first_messages}
