#!/usr/bin/env python3
"""Reads 2x2 tables (JSON lines of [a, b, c, d]) on stdin and prints, per table, what scipy
computes: Fisher's exact p (two-sided, less, greater), Pearson's chi-square without continuity
correction and its p (null when undefined), and the sample odds ratio with Woolf's 95 % interval
(null when a cell is zero). StatisticsScipyAgreementTests compares GenomeGate's values with these."""
import json
import math
import sys

from scipy.stats import chi2_contingency, fisher_exact, norm

for line in sys.stdin:
    a, b, c, d = json.loads(line)
    table = [[a, b], [c, d]]
    out = {"fisher": [float(fisher_exact(table, alternative=side).pvalue) for side in ("two-sided", "less", "greater")]}
    try:
        chi = chi2_contingency(table, correction=False)
        out["chi"] = [float(chi.statistic), float(chi.pvalue)]
    except ValueError:
        out["chi"] = None
    if min(a, b, c, d) > 0:
        ratio = a * d / (b * c)
        half = norm.ppf(0.975) * math.sqrt(1 / a + 1 / b + 1 / c + 1 / d)
        out["odds"] = [ratio, math.exp(math.log(ratio) - half), math.exp(math.log(ratio) + half)]
    else:
        out["odds"] = None
    print(json.dumps(out))
