"""The harness's outputs: results.json, power-vs-queries.png and a text table."""

import json
import os

MEMBERSHIP = ["af-untargeted", "af-stratum", "af-targeted", "beacon-count", "beacon-boolean",
              "af-untargeted-oracle", "af-stratum-oracle"]


def final_power(result):
    """Power at 5 % FPR with every query the attack made (membership power for differencing)."""
    if "power" in result:
        return result["power"][-1] if result["power"] else 0.0
    return result.get("membership_power")


def gate_power(result):
    """What the CI gate compares: the fitted power with all queries (the empirical share is too
    noisy with CI-sized target counts), or the differencing membership power."""
    if result.get("power_fitted"):
        return result["power_fitted"][-1]
    return final_power(result)


def max_power(result):
    """The largest power on the attack's curve (an attacker stopping at the best point)."""
    if "power" in result:
        return max(result["power"]) if result["power"] else 0.0
    return result.get("membership_power")


def table(results):
    lines = ["power@5%FPR: share of members above the outsiders' 95th percentile, with all queries (differencing: "
             "members whose genotypes showed; FPR over outsiders); max: best point of the curve; fitted: Gaussian fit "
             "Phi(d - 1.645)",
             f"every per-target attack under its own fresh approval (full per-approval budget); "
             f"privacy.member_budget {results['config']['member_budget']} so only the per-approval defence is measured"]
    for run, data in results["runs"].items():
        lines.append(f"== defences {run} (privacy settings applied: {data['privacy_settings_applied']}; "
                     f"strata=false sent: {data['strata_false_supported']}) ==")
        lines.append(f"{'attack':<22}{'power@5%FPR':>12}{'max':>6}{'fitted':>7}{'queries':>10}{'429':>7}{'403diff':>8}{'<k/hidden':>10}  notes")
        for result in data["attacks"]:
            answers = result.get("answers", {})
            power, best = final_power(result), max_power(result)
            notes = []
            if "evaluated_on" in result:
                notes.append(f"evaluated on {result['evaluated_on'][0]} in / {result['evaluated_on'][1]} out")
            if result.get("genotypes_recovered") is not None:
                notes.append(f"genotypes recovered {result['genotypes_recovered']:.2f}")
            if result.get("false_positive_rate") is not None:
                notes.append(f"FPR {result['false_positive_rate']:.2f}")
            if "sites_learned" in result:
                notes.append(f"{result['sites_learned']} sites learned")
            if result.get("utility"):
                use = result["utility"]
                notes.append(f"utility: {use['variants_within_0.01']} variants within 0.01 (wanted {use['variants_wanted']}), "
                             f"common within 0.01: {use['common_within_0.01']}")
            if "queries_per_target_max" in result:
                notes.append(f"<= {result['queries_per_target_max']} queries/target")
            if "smallest_difference_people" in result:
                notes.append(f"{result['pairs_one_person_apart']} filter pairs one person apart ({result['people_isolated']} people), "
                             f"{result['nested_pairs_fewer_than_k_people']} fewer than 5 apart, smallest {result['smallest_difference_people']}")
            if "small_counts_revealed" in result:
                notes.append(f"{result['small_counts_revealed']} counts <{5} revealed in {result['pairs_tried']} pairs; "
                             f"bracket == range {result['bracket_answers_equal_range']}")
            if "questions_with_differing_answers" in result:
                notes.append(f"differing answers {result['questions_with_differing_answers']}, |err| single "
                             f"{result['mean_abs_error_single']} averaged {result['mean_abs_error_averaged']}")
            shown = "-" if power is None else f"{power:.2f}"
            shown_best = "-" if best is None else f"{best:.2f}"
            shown_fit = f"{result['power_fitted'][-1]:.2f}" if result.get("power_fitted") else "-"
            lines.append(f"{result['attack']:<22}{shown:>12}{shown_best:>6}{shown_fit:>7}{result.get('queries_made', 0):>10}"
                         f"{answers.get('privacy_budget_exhausted', 0):>7}{answers.get('differencing_refused', 0):>8}"
                         f"{answers.get('suppressed', 0):>10}  {'; '.join(notes)}")
    return "\n".join(lines)


def plot(results, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    figure, axis = plt.subplots(figsize=(11, 5.5))
    colours = dict(zip(MEMBERSHIP, ["tab:blue", "tab:orange", "tab:green", "tab:red", "tab:purple", "navy", "saddlebrown"]))
    marks = dict(zip(["diff-filters", "diff-time-ingest", "diff-datasets", "diff-time-withdrawal"],
                     ["tab:brown", "tab:pink", "tab:olive", "tab:cyan"]))
    for run, data in results["runs"].items():
        style = "-" if run == "off" else "--"
        for result in data["attacks"]:
            if result["attack"] in colours and result.get("queries"):
                axis.plot(result["queries"], result["power"], style, marker="o", markersize=3, color=colours[result["attack"]],
                          label=f"{result['attack']} (defences {run})")
            elif result.get("membership_power") is not None and result.get("queries_made"):
                axis.scatter([max(1, result["queries_made"] / max(1, len(result.get("targets", [1]))))],
                             [result["membership_power"]], marker="x" if run == "off" else "+", s=70,
                             color=marks.get(result["attack"], "black"), label=f"{result['attack']} (defences {run})")
    axis.axhline(0.1, color="grey", linewidth=0.8, linestyle=":")
    axis.axhline(0.05, color="lightgrey", linewidth=0.8, linestyle=":")
    axis.set_xscale("log")
    axis.set_ylim(-0.02, 1.02)
    axis.set_xlabel("queries (per target; per scan for af-untargeted and af-stratum; differencing: x off, + on)")
    axis.set_ylabel("detection power at 5 % false-positive rate")
    config = results["config"]
    axis.set_title(f"GenomeGate membership attacks: {config['people']} people, {config['sites']} sites, "
                   f"{config['targets']} in / {config['targets']} out")
    axis.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)


def write(results, folder):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "results.json"), "w") as handle:
        json.dump(results, handle, indent=1, default=lambda value: value.item() if hasattr(value, "item") else str(value))
    text = table(results)
    with open(os.path.join(folder, "table.txt"), "w") as handle:
        handle.write(text + "\n")
    plot(results, os.path.join(folder, "power-vs-queries.png"))
    return text
