#!/usr/bin/env python3
"""Recomputes the expected values of StatisticsTests.swift with scipy (pip install scipy)."""
from scipy.stats import chi2_contingency, contingency, false_discovery_control, fisher_exact

TABLES = [(3, 1, 1, 3), (10, 2, 3, 15), (0, 5, 5, 0), (12, 5, 7, 20), (1, 9, 11, 3), (25, 30, 15, 40),
          (7, 0, 3, 12), (100, 200, 150, 250), (2, 40, 1, 60), (0, 10, 0, 10)]
for a, b, c, d in TABLES:
    table = [[a, b], [c, d]]
    p = [float(fisher_exact(table, alternative=side).pvalue) for side in ("two-sided", "less", "greater")]
    try:
        chi = chi2_contingency(table, correction=False)
        chi = (float(chi.statistic), float(chi.pvalue))
    except ValueError:
        chi = (None, None)
    print((a, b, c, d), p, chi)
for table in [[[10, 2], [3, 15]], [[25, 30], [15, 40]]]:
    ratio = contingency.odds_ratio(table, kind="sample")
    print(table, float(ratio.statistic), ratio.confidence_interval(0.95))
print(list(map(float, false_discovery_control([0.01, 0.04, 0.03, 0.005, 0.5, 0.2, 0.04], method="bh"))))

# BurdenTests.swift: the released unit's table [[case carriers, case non-carriers], [control carriers, control non-carriers]],
# one-sided Fisher (greater) and the odds ratio with Woolf's (normal-approximation) 95 % interval.
for table in [[[12, 28], [6, 54]], [[20, 20], [10, 50]]]:
    ratio = contingency.odds_ratio(table, kind="sample")
    interval = ratio.confidence_interval(0.95)
    print("burden", table, float(fisher_exact(table, alternative="greater").pvalue), float(ratio.statistic),
          float(interval.low), float(interval.high))
