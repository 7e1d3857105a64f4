"""Checks of the harness's own arithmetic and answer handling, without a gateway
(`scripts/attack-privacy --self-test`): a wrong statistic would make every figure wrong."""

import math
import random

import numpy as np

from . import attacks
from .attacks import Stop, Tally, classify


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def run():
    # Power at 5 % FPR: identical distributions read about 0.05, well-separated ones 1.
    rng = random.Random(1)
    null_in = [rng.gauss(0, 1) for _ in range(4000)]
    null_out = [rng.gauss(0, 1) for _ in range(4000)]
    check(abs(attacks.power_at_5(null_in, null_out) - 0.05) < 0.02, "empirical power of a null attack is not about 0.05")
    check(abs(attacks.fitted_power_at_5(null_in, null_out) - 0.05) < 0.02, "fitted power of a null attack is not about 0.05")
    shifted = [x + 1.645 for x in null_in]
    check(abs(attacks.fitted_power_at_5(shifted, null_out) - 0.5) < 0.05, "a shift of 1.645 sd must give power about 0.5")
    check(attacks.power_at_5([10.0] * 50, null_out[:50]) == 1.0, "separated members must all be detected")

    # The curve keeps a finished target's statistic and ends at the longest attack.
    grid, power, _ = attacks.curve([[0.0, 5.0]], [[0.0], [0.0, 0.0, 0.0]], 5000)
    check(grid[-1] == 3 and power[-1] == 1.0, f"curve grid {grid} power {power}")

    # Sankararaman's LR: a member (pool frequency pulled towards their genotype) scores higher.
    reference = np.array([0.1, 0.2, 0.3])
    genotype = np.array([[2, 1, 0]])
    towards = attacks.frequency_lr(genotype, np.arange(3), np.array([0.12, 0.21, 0.29]), reference, 2000)[0]
    away = attacks.frequency_lr(genotype, np.arange(3), np.array([0.08, 0.19, 0.31]), reference, 2000)[0]
    check(towards > 0 > away, f"frequency LR signs: towards {towards}, away {away}")

    # Beacon presence LR: 'present' favours membership for a carrier, 'absent' counts against it.
    check(attacks.presence_lr(True, 0.002, 1000) > 0 > attacks.presence_lr(False, 0.002, 1000), "presence LR signs")
    tail = attacks.binomial_tail_below(1000, 0.002, 5)
    expected = sum(math.comb(1000, j) * 0.002 ** j * 0.998 ** (1000 - j) for j in range(5))
    check(abs(tail - expected) < 1e-9, f"binomial tail {tail} != {expected}")

    # Answers: 429 ends the attack, 403 differencing_refused skips the question, both are counted.
    tally = Tally()
    check(classify(429, {"error": {"code": "privacy_budget_exhausted", "message": "would cost 0.3, remaining 0.01 of 0.2."}},
                   tally, "A-1") is False, "a 429 with budget left must skip the question")
    try:
        classify(429, {"error": {"code": "privacy_budget_exhausted", "message": "would cost 0.3, remaining 0.0000 of 0.2."}}, tally, "A-1")
        raise AssertionError("a 429 with no budget left did not end the attack")
    except Stop:
        pass
    for _ in range(attacks.MAXIMUM_REFUSALS_IN_A_ROW - 1):
        classify(429, {"error": {"code": "privacy_budget_exhausted"}}, tally, "A-2")
    try:
        classify(429, {"error": {"code": "privacy_budget_exhausted"}}, tally, "A-2")
        raise AssertionError("endless 429s did not end the attack")
    except Stop:
        pass
    check(classify(403, {"error": {"code": "differencing_refused", "message": "..."}}, tally) is False, "403 not skipped")
    check(classify(403, {"meta": {}, "error": {"errorCode": 403, "errorMessage": "differencing_refused: ..."}}, tally) is False,
          "Beacon-format 403 not skipped")
    check(classify(200, {}, tally) is True, "200 not answered")
    check(tally.counts["privacy_budget_exhausted"] == 2 + attacks.MAXIMUM_REFUSALS_IN_A_ROW and tally.counts["differencing_refused"] == 2 and tally.counts["answered"] == 1,
          f"tally {tally.counts}")
    print("attack-privacy: self-test passed")
