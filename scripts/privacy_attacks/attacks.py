"""Membership attacks through the API: the likelihood-ratio frequency attack (Homer 2008,
Sankararaman 2009) on allele-frequency answers and on Beacon counts, and the
Shringarpure-Bustamante test on Beacon booleans with Raisaro's rarest-alleles-first order.
Each reports detection power at 5 % false-positive rate against the number of queries."""

import math
import re
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from .lab import error_code

K = 5  # the gateway's minimum cell count (disclosure.minimum_cell_count default)
GRID = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000]
WINDOW = 10_000_000  # the largest range the gateway answers


class Tally:
    """What the gateway answered, by kind, and each approval's run of 429s; thread-safe."""

    KINDS = ("answered", "privacy_budget_exhausted", "differencing_refused", "suppressed", "cohort_too_small", "other_error")

    def __init__(self):
        self.counts = {kind: 0 for kind in self.KINDS}
        self.refusals_in_a_row = {}
        self.first_messages = {}  # the first refusal of each kind, as the gateway worded it
        self.lock = threading.Lock()

    def note(self, kind, answer):
        error = answer.get("error") if isinstance(answer, dict) else None
        message = (error.get("message") or error.get("errorMessage")) if isinstance(error, dict) else str(answer)
        with self.lock:
            self.first_messages.setdefault(kind, str(message)[:400])

    def add(self, kind, count=1):
        with self.lock:
            self.counts[kind] = self.counts.get(kind, 0) + count

    def streak(self, approval, refused):
        with self.lock:
            self.refusals_in_a_row[approval] = self.refusals_in_a_row.get(approval, 0) + 1 if refused else 0
            return self.refusals_in_a_row[approval]


class Stop(Exception):
    """The approval's budget is spent (or the cohort is below the minimum): this attacker learns nothing more."""


# A 429 refuses the request that would exceed the budget; a cheaper one may still pass, so the
# attacker goes on until the budget is (nearly) spent or this many requests in a row are refused.
SPENT_BELOW = 0.001
MAXIMUM_REFUSALS_IN_A_ROW = 200
REMAINING = re.compile(r"remaining ([0-9.]+)")


def classify(status, answer, tally, approval=None):
    """Counts an answer; True when answered, False for a refusal to skip; raises Stop when the
    approval's budget is spent (or nothing more can be asked)."""
    if status == 200:
        tally.add("answered")
        tally.streak(approval, False)
        return True
    code = error_code(answer)
    if status == 429 or code == "privacy_budget_exhausted":
        tally.add("privacy_budget_exhausted")
        tally.note("privacy_budget_exhausted", answer)
        message = answer.get("error", {}).get("message", "") if isinstance(answer, dict) else ""
        remaining = REMAINING.search(message)
        if tally.streak(approval, True) >= MAXIMUM_REFUSALS_IN_A_ROW or (remaining and float(remaining.group(1).rstrip(".")) < SPENT_BELOW):
            raise Stop()
        return False
    if code == "differencing_refused":
        tally.add("differencing_refused")
        tally.note("differencing_refused", answer)
        return False
    if code == "cohort_too_small":  # the same for every question over this cohort: nothing to learn here
        tally.add("cohort_too_small")
        raise Stop()
    tally.add("other_error")
    tally.note(f"other_error {status}", answer)
    if tally.counts["other_error"] <= 3:
        print(f"attack-privacy: unexpected answer {status}: {str(answer)[:300]}", flush=True)
    return False


def variant_query(cohort, allele_index):
    chrom, pos, ref, alt = cohort.alleles[allele_index][:4]
    return {"referenceName": chrom, "start": pos - 1, "referenceBases": ref, "alternateBases": alt}


def windows(cohort):
    """Every 10 Mb window holding a site, in genome order."""
    seen = {}
    for chrom, pos, *_ in cohort.alleles:
        seen.setdefault(chrom, set()).add((pos - 1) // WINDOW)
    return [(chrom, w * WINDOW, (w + 1) * WINDOW) for chrom in seen for w in sorted(seen[chrom])]


def frequency_answers(answer, cohort, tally):
    """{allele index: (AC, AN)} from an allele-frequency answer (totals; "<k" cells are skipped)."""
    found = {}
    for variant in answer.get("variants", []):
        key = (variant["referenceName"], variant["start"] + 1, variant["referenceBases"], variant["alternateBases"])
        total = variant.get("total", {})
        count, number = total.get("alleleCount"), total.get("alleleNumber")
        if isinstance(count, int) and isinstance(number, int) and number > 0 and key in cohort.index:
            found[cohort.index[key]] = (count, number)
        else:
            tally.add("suppressed")
    return found


# --- statistics ------------------------------------------------------------------------


def frequency_lr(genotypes, alleles, pool_frequency, reference_frequency, pool_alleles):
    """Sankararaman's LR, per person (rows of `genotypes`), over `alleles`."""
    floor = 0.5 / pool_alleles
    pool = np.clip(pool_frequency, floor, 1 - floor)
    reference = reference_frequency[alleles]
    x = genotypes[:, alleles].astype(float)
    return (x * np.log(pool / reference) + (2 - x) * np.log((1 - pool) / (1 - reference))).sum(axis=1)


def binomial_tail_below(n, p, k):
    """P(Binomial(n, p) < k)."""
    total = 0.0
    for j in range(k):
        total += math.exp(math.lgamma(n + 1) - math.lgamma(j + 1) - math.lgamma(n - j + 1)
                          + j * math.log(p) + (n - j) * math.log1p(-p))
    return min(max(total, 1e-300), 1 - 1e-15)


def presence_lr(present, carrier_share, people):
    """log P(answer | carrier in the cohort) / P(answer | not in it), for a Beacon that says
    'present' when at least K people carry the allele (the target carries it)."""
    absent_in = binomial_tail_below(people - 1, carrier_share, K - 1)
    absent_out = binomial_tail_below(people, carrier_share, K)
    if present:
        return math.log((1 - absent_in) / (1 - absent_out))
    return math.log(absent_in / absent_out)


def power_at_5(in_stats, out_stats):
    """Empirical: the share of members above the outsiders' 95th percentile."""
    threshold = np.quantile(np.asarray(out_stats), 0.95)
    return float(np.mean(np.asarray(in_stats) > threshold))


def fitted_power_at_5(in_stats, out_stats):
    """Gaussian fit, Phi((mean_in - mean_out) / sd_out - 1.645): far less noisy than the
    empirical share with a few dozen targets (a null attack reads 0.05 +- a little)."""
    inside, outside = np.asarray(in_stats, dtype=float), np.asarray(out_stats, dtype=float)
    spread = outside.std(ddof=1) if len(outside) > 1 else 0.0
    if spread <= 0:
        return power_at_5(inside, outside)
    shift = (inside.mean() - outside.mean()) / spread
    return 0.5 * math.erfc(-(shift - 1.6448536) / math.sqrt(2))


def curve(in_cumulative, out_cumulative, max_queries):
    """Power at 5 % FPR after q queries, q on the grid (a target whose attack ended keeps its statistic)."""
    def at(series, q):
        return [s[min(q, len(s)) - 1] if len(s) else 0.0 for s in series]
    longest = max([len(s) for s in in_cumulative + out_cumulative] + [1])
    grid = [q for q in GRID if q <= max_queries and q <= longest] or [1]
    if grid[-1] < min(longest, max_queries):
        grid.append(min(longest, max_queries))
    return (grid, [power_at_5(at(in_cumulative, q), at(out_cumulative, q)) for q in grid],
            [fitted_power_at_5(at(in_cumulative, q), at(out_cumulative, q)) for q in grid])


# --- untargeted: region queries over the whole cohort or one cancer type -----------------


def frequency_scan(lab, cohort, tally, approval, extra, strata_supported, max_queries):
    """Region queries in genome order; per query, the alleles it answered. A window refused for
    its cost (429) is split in two and asked again, down to single sites, so the scan gets as
    many sites as the budget allows (a researcher would do the same)."""
    client = lab.client()
    per_query = []
    pending = list(reversed(windows(cohort)))
    limit = max(max_queries, 2000)
    while pending and len(per_query) < limit:
        chrom, start, end = pending.pop()
        query = {"referenceName": chrom, "start": start, "end": end, **extra}
        if strata_supported:
            query["strata"] = "false"
        try:
            status, answer = client.request("GET", "/api/aggregate/allele-frequency", query=query, approval=approval)
            if not classify(status, answer, tally, approval):
                per_query.append({})
                if status == 429:
                    inside = sorted({p - 1 for c, p, *_ in cohort.alleles if c == chrom and start <= p - 1 < end})
                    if len(inside) > 1:  # split between sites, first half asked first
                        middle = inside[len(inside) // 2]
                        pending += [(chrom, middle, end), (chrom, start, middle)]
                continue
        except Stop:
            break
        per_query.append(frequency_answers(answer, cohort, tally))
    return per_query


def scan_statistics(cohort, genotypes, per_query, oracle=False):
    """Cumulative LR per person after each query of a scan, against the reference panel's
    frequencies (or, `oracle`, the population's)."""
    reference_frequency = cohort.population_frequency if oracle else cohort.reference_frequency
    cumulative = np.zeros((len(genotypes), len(per_query)))
    running = np.zeros(len(genotypes))
    for number, found in enumerate(per_query):
        if found:
            alleles = np.array(list(found.keys()))
            counts = np.array([found[a] for a in alleles], dtype=float)
            running = running + frequency_lr(genotypes, alleles, counts[:, 0] / counts[:, 1],
                                             reference_frequency, counts[:, 1].mean())
        cumulative[:, number] = running
    return [list(row) for row in cumulative]


def scan_people(cohort, targets_out):
    """Who a scan is evaluated on: every counted member, and every outsider the harness has
    (a scan's answers serve everyone at once, so more people cost no queries)."""
    inside = list(cohort.member_genotypes)
    outside = [cohort.genotype_of(p) for p in targets_out] + list(cohort.evaluation_outsider_genotypes)
    inside_types = [cohort.cancer_type[p] for p in cohort.members]
    outside_types = [cohort.cancer_type[p] for p in targets_out] + cohort.evaluation_outsider_types
    return np.array(inside), np.array(outside), inside_types, outside_types


def utility(cohort, per_query):
    """What one approval's scan is worth to a researcher (issue 10's utility target): distinct
    variants whose frequency is within 0.01 of the truth (at least 0.1 x the people in the cohort
    are wanted), and how many answered common variants (true AF >= 5 %) are within 0.01."""
    columns = cohort.cohort_columns()
    count = cohort.sample_genotypes[:, columns].sum(axis=1)
    number = cohort.sample_called[:, columns].sum(axis=1)
    truth = np.where(number > 0, count / np.maximum(number, 1), 0.0)
    answered = {}
    for found in per_query:
        answered.update(found)
    errors = {a: abs(ac / an - truth[a]) for a, (ac, an) in answered.items()}
    common = [a for a in errors if truth[a] >= 0.05]
    within = sum(error <= 0.01 + 1e-12 for error in errors.values())
    return {"variants_answered": len(errors), "variants_within_0.01": int(within),
            "variants_wanted": int(np.ceil(0.1 * len(cohort.members))),
            "common_answered": len(common),
            "common_within_0.01": float(np.mean([errors[a] <= 0.01 + 1e-12 for a in common])) if common else None,
            "max_error": float(max(errors.values())) if errors else None}


def scan_result(name, description, series, queries_made, answers, extra=None, refusals=None):
    """Two results from one scan's answers: against the reference panel, and the oracle."""
    results = []
    for oracle in (False, True):
        series_in, series_out = series[(oracle, "in")], series[(oracle, "out")]
        grid, power, fitted = curve(series_in, series_out, max((len(s) for s in series_in), default=1))
        results.append({
            "attack": name + ("-oracle" if oracle else ""),
            "description": description + (", against the true population frequencies (worst case; the same answers)"
                                          if oracle else ", against the reference panel's frequencies"),
            "queries": grid, "power": power, "power_fitted": fitted, "queries_made": queries_made, "answers": answers,
            "refusals": refusals or {}, "evaluated_on": [len(series_in), len(series_out)], **(extra or {})})
    return results


def untargeted_frequency(lab, cohort, targets_in, targets_out, strata_supported, max_queries):
    tally = Tally()
    approval = lab.new_approval("untargeted allele-frequency scan")
    per_query = frequency_scan(lab, cohort, tally, approval, {}, strata_supported, max_queries)
    genotypes_in, genotypes_out, _, _ = scan_people(cohort, targets_out)
    series = {(oracle, side): scan_statistics(cohort, genotypes, per_query, oracle)
              for oracle in (False, True) for side, genotypes in (("in", genotypes_in), ("out", genotypes_out))}
    sites = len(set().union(*per_query)) if per_query else 0
    results = scan_result("af-untargeted", "LR on allele-frequency totals, 10 Mb region scan, whole cohort, one approval",
                          series, len(per_query), tally.counts, {"sites_learned": sites}, tally.first_messages)
    results[0]["utility"] = utility(cohort, per_query)
    return results


def stratum_frequency(lab, cohort, targets_in, targets_out, strata_supported, max_queries):
    """The same scan within each cancer type (filters=<type>): a smaller cohort; each person is
    scored on their own cancer type's scan."""
    tally = Tally()
    genotypes_in, genotypes_out, types_in, types_out = scan_people(cohort, targets_out)
    series = {(oracle, side): [] for oracle in (False, True) for side in ("in", "out")}
    made = 0
    for cancer_type in sorted(set(types_in)):
        approval = lab.new_approval(f"stratum scan {cancer_type}")
        per_query = frequency_scan(lab, cohort, tally, approval, {"filters": cancer_type}, strata_supported, max_queries)
        made += len(per_query)
        for genotypes, types, side in ((genotypes_in, types_in, "in"), (genotypes_out, types_out, "out")):
            chosen = [i for i, t in enumerate(types) if t == cancer_type]
            if chosen:
                for oracle in (False, True):
                    series[(oracle, side)] += scan_statistics(cohort, genotypes[chosen], per_query, oracle)
    return scan_result("af-stratum", "LR on allele-frequency totals within the person's cancer type (filters), one approval per cancer type",
                       series, made, tally.counts, None, tally.first_messages)


# --- targeted: the target's carried alleles, rarest first, one fresh approval each ---------


def targeted(lab, cohort, targets_in, targets_out, max_queries, workers, name, description, ask):
    """Runs `ask(client, approval, allele, person, tally) -> LR increment or None (skipped)` per target."""
    tally = Tally()
    people = len(cohort.members)

    def attack(person):
        client = lab.client()
        approval = lab.new_approval(f"{name} on one target")
        series, total = [], 0.0
        for allele in cohort.carried_rarest_first(person)[:max_queries]:
            try:
                increment = ask(client, approval, allele, people, tally)
            except Stop:
                break
            if increment is not None:
                total += increment
            series.append(total)
        return series

    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(attack, targets_in + targets_out))
    series_in, series_out = results[:len(targets_in)], results[len(targets_in):]
    grid, power, fitted = curve(series_in, series_out, max_queries)
    return {"attack": name, "description": description, "queries": grid, "power": power, "power_fitted": fitted,
            "queries_made": sum(len(s) for s in results), "queries_per_target_max": max(len(s) for s in results),
            "answers": tally.counts, "refusals": tally.first_messages}


def beacon_boolean(lab, cohort, targets_in, targets_out, max_queries, workers):
    def ask(client, approval, allele, people, tally):
        status, answer = client.request("GET", "/api/g_variants", approval=approval,
                                        query={**variant_query(cohort, allele), "requestedGranularity": "boolean"})
        if not classify(status, answer, tally, approval):
            return None
        present = bool(answer["responseSummary"]["exists"])
        return presence_lr(present, cohort.reference_carrier_share[allele], people)
    return targeted(lab, cohort, targets_in, targets_out, max_queries, workers, "beacon-boolean",
                    "Shringarpure-Bustamante LR on g_variants booleans, target's rarest alleles first (Raisaro)", ask)


def beacon_count(lab, cohort, targets_in, targets_out, max_queries, workers):
    def ask(client, approval, allele, people, tally):
        status, answer = client.request("GET", "/api/biosamples", approval=approval,
                                        query={**variant_query(cohort, allele), "requestedGranularity": "count"})
        if not classify(status, answer, tally, approval):
            return None
        count = answer["responseSummary"].get("numTotalResults")
        share = cohort.reference_carrier_share[allele]
        if not isinstance(count, int) or count == 0:
            tally.add("suppressed")
            return presence_lr(False, share, people)
        pooled = min(max(count / 2 / people, 0.5 / people), 1 - 0.5 / people)  # tumour + normal per person
        return math.log(pooled / share)
    return targeted(lab, cohort, targets_in, targets_out, max_queries, workers, "beacon-count",
                    "LR on biosamples counts (carrier share), target's rarest alleles first", ask)


def targeted_frequency(lab, cohort, targets_in, targets_out, max_queries, workers, strata_supported):
    tally = Tally()
    people = len(cohort.members)

    def attack(person):
        client = lab.client()
        approval = lab.new_approval("af-targeted on one target")
        genotype = cohort.genotype_of(person)
        series, total = [], 0.0
        for allele in cohort.carried_rarest_first(person)[:max_queries]:
            query = variant_query(cohort, allele)
            if strata_supported:
                query["strata"] = "false"
            try:
                status, answer = client.request("GET", "/api/aggregate/allele-frequency", approval=approval, query=query)
                answered = classify(status, answer, tally, approval)
            except Stop:
                break
            if answered:
                found = frequency_answers(answer, cohort, tally).get(allele)
                if found is None:
                    total += presence_lr(False, cohort.reference_carrier_share[allele], people)
                else:
                    count, number = found
                    total += float(frequency_lr(genotype[None, :], np.array([allele]), np.array([count / number]),
                                                cohort.reference_frequency, number)[0])
            series.append(total)
        return series

    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(attack, targets_in + targets_out))
    series_in, series_out = results[:len(targets_in)], results[len(targets_in):]
    grid, power, fitted = curve(series_in, series_out, max_queries)
    return {"attack": "af-targeted", "description": "LR on allele-frequency point answers, target's rarest alleles first",
            "queries": grid, "power": power, "power_fitted": fitted, "queries_made": sum(len(s) for s in results),
            "queries_per_target_max": max(len(s) for s in results), "answers": tally.counts, "refusals": tally.first_messages}


# --- utility: what one approval's default budget buys a researcher -------------------------


def utility_greedy(lab, cohort, strata_supported, max_queries):
    """A researcher with one fresh approval who wants as many frequencies as the budget allows:
    point queries (totals) of germline alleles, those most common in the reference panel first
    (the cheapest), until the budget is spent. Issue 10's targets: at least 0.1 x the people in
    the cohort distinct variants within 0.01, and every common (AF >= 5 %) answer within 0.01."""
    tally = Tally()
    approval = lab.new_approval("utility: common variants first")
    client = lab.client()
    folded = np.minimum(cohort.reference_frequency, 1 - cohort.reference_frequency)
    order = [int(a) for a in np.argsort(-folded, kind="stable") if cohort.germline[a]]
    per_query = []
    for allele in order[: max(max_queries, 2000)]:
        chrom, pos, ref, alt = cohort.alleles[allele][:4]
        query = {"referenceName": chrom, "start": pos - 1, "alternateBases": alt}
        if strata_supported:
            query["strata"] = "false"
        try:
            status, answer = client.request("GET", "/api/aggregate/allele-frequency", query=query, approval=approval)
            if not classify(status, answer, tally, approval):
                continue
        except Stop:
            break
        per_query.append(frequency_answers(answer, cohort, tally))
    use = utility(cohort, per_query)
    return {"attack": "utility", "description": "one approval, point queries of the most common alleles first, until its budget is spent",
            "membership_power": None, "queries_made": len(per_query),
            "answers": tally.counts, "refusals": tally.first_messages, "utility": use}
