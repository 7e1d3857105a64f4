#!/usr/bin/env python3
"""Client of scripts/bench-visiting: times visiting jobs through a running gateway over mutual
TLS against the same computation done by the peer (scripts/bench-visiting-peer.py: bcftools and
scipy on the indexed VCF), checks that both give the same released numbers, and measures jobs
per minute with 4 members submitting at once.

  latency:    --runs N association jobs (a different 1 Mb region each) and N burden jobs
              (the same 100 genes), one at a time as researcher-jp, each timed from POST to the
              released result; the peer computes each right after (same machine load), in the
              same long-lived Python process (interpreter start and scipy import not counted).
              Every job is compared with the peer: the same variants/units, the same tables,
              p-values within 1e-9, the same airlock decision (which tables are released).
  throughput: --members (researcher-jp, -de, -gb, -us) each submit --jobs-per-member
              association jobs, cycling over --regions-per-member 1 Mb regions of their own
              (every job is computed again; its release is charged to the disclosure ledger
              only the first time, so even budgets of 100 last), keeping up to --in-flight
              queued or running (the per-member limit), waiting for each and fetching its result.

Prints a report; the last line is "summary KEY=VALUE ..." for the shell script. Exits 1 when a
step fails or the numbers disagree.
"""
import argparse
import http.client
import importlib.util
import json
import os
import random
import ssl
import statistics
import sys
import threading
import time

sys.dont_write_bytecode = True  # importing the peer leaves no __pycache__ in scripts/
HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("peer", os.path.join(HERE, "bench-visiting-peer.py"))
peer = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(peer)

CONTIGS = [(f"chr{i}", n) for i, n in enumerate([
    248_956_422, 242_193_529, 198_295_559, 190_214_555, 181_538_259, 170_805_979, 159_345_973, 145_138_636,
    138_394_717, 133_797_422, 135_086_622, 133_275_309, 114_364_328, 107_043_718, 101_991_189, 90_338_345,
    83_257_441, 80_373_285, 58_617_616, 64_444_167, 46_709_983, 50_818_468], start=1)] + [("chrX", 156_040_895)]


def parse():
    parser = argparse.ArgumentParser()
    parser.add_argument("--ports", required=True, help="LABEL=PORT[,LABEL=PORT]: gateways for the throughput run; the first also for latency")
    parser.add_argument("--ledger-port", type=int, help="a gateway with the disclosure ledger on: one association job is timed there")
    parser.add_argument("--pki", required=True)
    parser.add_argument("--vcf", required=True, help="the bgzipped, indexed cohort")
    parser.add_argument("--samples", required=True, help="the demo's samples.tsv")
    parser.add_argument("--work", required=True, help="a folder for the peer's lists")
    parser.add_argument("--cases", default="NCIT:C2955,NCIT:C4911", help="case cancer types (controls: everyone else)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--genes", type=int, default=100)
    parser.add_argument("--members", default="researcher-jp,researcher-de,researcher-gb,researcher-us")
    parser.add_argument("--jobs-per-member", type=int, default=8)
    parser.add_argument("--regions-per-member", type=int, default=8,
                        help="each member cycles over this many 1 Mb regions of its own: a repeated release is not charged again, so the budgets last")
    parser.add_argument("--in-flight", type=int, default=4)
    parser.add_argument("--poll-ms", type=float, default=0, help="status polling interval of a timed job (0: long polls, ?wait=30)")
    parser.add_argument("--throughput-poll-ms", type=float, default=50)
    return parser.parse_args()


class Gateway:
    """One member's keep-alive mutual-TLS connection to one gateway."""

    def __init__(self, port, pki, member):
        ctx = ssl.create_default_context(cafile=f"{pki}/ca.pem")
        ctx.load_cert_chain(f"{pki}/{member}.pem", f"{pki}/{member}.key")
        ctx.check_hostname = False
        self.port, self.ctx, self.member = port, ctx, member
        self.connection = http.client.HTTPSConnection("127.0.0.1", port, context=ctx, timeout=300)

    def send(self, method, path, body=None):
        payload = json.dumps(body).encode() if body is not None else None
        headers = {"Content-Type": "application/json"} if payload else {}
        for attempt in range(2):
            try:
                self.connection.request(method, path, body=payload, headers=headers)
                response = self.connection.getresponse()
                data = response.read()
                break
            except (OSError, http.client.HTTPException):
                self.connection.close()
                if attempt:
                    raise
        try:
            document = json.loads(data) if data else {}
        except ValueError:
            document = {"raw": data[:300].decode(errors="replace")}
        return response.status, document

    def submit(self, analysis, parameters):
        status, document = self.send("POST", "/api/visiting/jobs", {"analysis": analysis, "parameters": parameters})
        if status != 202:
            raise RuntimeError(f"{self.member}: submitting {analysis} gave HTTP {status}: {document}")
        return document["id"]

    def wait(self, job, poll):
        """Until the job has finished: long polls (?wait=30, answered when it finishes); with
        poll > 0, short polls every `poll` seconds instead."""
        while True:
            status, document = self.send("GET", f"/api/visiting/jobs/{job}" + ("" if poll > 0 else "?wait=30"))
            if status != 200:
                raise RuntimeError(f"{self.member}: job {job} status gave HTTP {status}: {document}")
            if document["state"] in ("succeeded", "failed", "cancelled"):
                if document["state"] != "succeeded":
                    raise RuntimeError(f"{self.member}: job {job} {document['state']}: {document.get('reason')}")
                return document
            time.sleep(poll)

    def result(self, job):
        status, document = self.send("GET", f"/api/visiting/jobs/{job}/result")
        if status != 200:
            raise RuntimeError(f"{self.member}: job {job} result gave HTTP {status}: {document}")
        return document

    def run(self, analysis, parameters, poll):
        """Submit, poll, release: (seconds, released document, (submit, wait, release) seconds)."""
        started = time.perf_counter()
        job = self.submit(analysis, parameters)
        submitted = time.perf_counter()
        self.wait(job, poll)
        succeeded = time.perf_counter()
        document = self.result(job)
        finished = time.perf_counter()
        return finished - started, document, (submitted - started, succeeded - submitted, finished - succeeded)


def region(index):
    """The index-th 1 Mb region: chr1..chr22 in turn, from 20 Mb on, a new megabase each round."""
    chrom, _ = CONTIGS[index % 22]
    start = 20_000_001 + ((index // 22) % 20) * 1_000_000
    return chrom, start, start + 999_999


def genes(count, seed=11):
    """`count` named regions of 10 to 50 kb spread over the demo's chromosomes, none overlapping."""
    rng = random.Random(seed)
    units, taken = [], {}
    while len(units) < count:
        chrom, length = CONTIGS[len(units) % len(CONTIGS)]
        size = rng.randint(10_000, 50_000)
        start = rng.randint(1_000_000, length - 1_000_000 - size)
        end = start + size - 1
        if any(not (end < s or start > e) for s, e in taken.get(chrom, [])):
            continue
        taken.setdefault(chrom, []).append((start, end))
        units.append((f"G{len(units) + 1:03d}", chrom, start, end))
    return units


def close(x, y, absolute=1e-9, relative=1e-9):
    if x is None or y is None:
        return x is None and y is None
    return abs(x - y) <= absolute or abs(x - y) <= relative * max(abs(x), abs(y))


def compare_association(document, expected, label):
    """Disagreements between a released association result and the peer's."""
    problems = []
    output = document["result"]
    if (output["cases"], output["controls"]) != (expected["cases"], expected["controls"]):
        problems.append(f"{label}: groups {output['cases']}/{output['controls']} people, the peer {expected['cases']}/{expected['controls']}")
    mine = {v["variant"]: v for v in output["variants"]}
    theirs = expected["results"]
    for name in sorted(set(mine) ^ set(theirs))[:5]:
        problems.append(f"{label}: {name} only in {'GenomeGate' if name in mine else 'the peer'}")
    released = 0
    for name in sorted(set(mine) & set(theirs)):
        gg, p = mine[name], theirs[name]
        if (gg.get("table") is not None) != p["released"]:
            problems.append(f"{label}: {name} {'released' if gg.get('table') is not None else 'masked'} by GenomeGate, the peer's airlock rule says otherwise (table {p['table']})")
            continue
        if gg.get("table") is None:
            continue
        released += 1
        if gg["table"] != p["table"]:
            problems.append(f"{label}: {name} table {gg['table']}, the peer {p['table']}")
            continue
        for key, absolute, relative in (("pFisher", 1e-9, 0), ("pChiSquare", 1e-9, 0), ("chiSquare", 1e-9, 1e-9), ("oddsRatio", 1e-9, 1e-9)):
            if not close(gg.get(key), p.get(key), absolute, relative):
                problems.append(f"{label}: {name} {key} {gg.get(key)!r}, the peer {p.get(key)!r}")
    return problems, released, len(mine)


def compare_burden(document, expected, label):
    problems = []
    output = document["result"]
    if (output["cases"], output["controls"]) != (expected["cases"], expected["controls"]):
        problems.append(f"{label}: groups {output['cases']}/{output['controls']} people, the peer {expected['cases']}/{expected['controls']}")
    mine = {u["name"]: u for u in output["units"]}
    theirs = expected["results"]
    for name in sorted(set(mine) ^ set(theirs))[:5]:
        problems.append(f"{label}: unit {name} only in {'GenomeGate' if name in mine else 'the peer'}")
    released = 0
    for name in sorted(set(mine) & set(theirs)):
        gg, p = mine[name], theirs[name]
        if (gg.get("table") is not None) != p["released"]:
            problems.append(f"{label}: unit {name} {'released' if gg.get('table') is not None else 'masked'} by GenomeGate, the peer's airlock rule says otherwise (table {p['table']})")
            continue
        if gg.get("table") is None:
            continue
        released += 1
        if gg["table"] != p["table"]:
            problems.append(f"{label}: unit {name} table {gg['table']}, the peer {p['table']}")
            continue
        for key, absolute, relative in (("pValue", 1e-9, 0), ("oddsRatio", 1e-9, 1e-9)):
            if not close(gg.get(key), p.get(key), absolute, relative):
                problems.append(f"{label}: unit {name} {key} {gg.get(key)!r}, the peer {p.get(key)!r}")
    return problems, released, len(mine)


def timed(function, *args):
    started = time.perf_counter()
    value = function(*args)
    return time.perf_counter() - started, value


def latency(args, port, cases):
    """The latency runs; returns (per-kind figures, disagreements)."""
    gateway = Gateway(port, args.pki, "researcher-jp")
    cohort = peer.people(args.samples)
    case_samples, control_samples = peer.groups(cohort, set(cases))
    sample_file = os.path.join(args.work, "peer-samples.txt")
    regions_file = os.path.join(args.work, "peer-regions.txt")
    poll = args.poll_ms / 1000
    units = genes(args.genes)
    burden_parameters = {"units": [{"name": n, "referenceName": c, "start": s, "end": e} for n, c, s, e in units], "cases": cases}

    def association_peer(chrom, start, end):
        return {"cases": len(case_samples), "controls": len(control_samples),
                "results": peer.association(args.vcf, f"{chrom}:{start}-{end}", case_samples, control_samples, sample_file)}

    def burden_peer():
        return {"cases": len(case_samples), "controls": len(control_samples),
                "results": peer.burden(args.vcf, units, case_samples, control_samples, sample_file, regions_file)}

    def association_parameters(chrom, start, end):
        return {"region": {"referenceName": chrom, "start": start, "end": end}, "cases": cases}

    # Warm-up (not measured): connections, page cache, the store's first reads, the peer's imports.
    warm = region(10_000)
    gateway.run("allelic-association", association_parameters(*warm), poll)
    association_peer(*warm)

    figures = {"association": {"gg": [], "peer": [], "phases": [], "released": 0, "outputs": 0},
               "burden": {"gg": [], "peer": [], "phases": [], "released": 0, "outputs": 0}}
    problems = []
    for number in range(args.runs):
        chrom, start, end = region(number)
        label = f"association {chrom}:{start}-{end}"
        seconds, document, phases = gateway.run("allelic-association", association_parameters(chrom, start, end), poll)
        peer_seconds, expected = timed(association_peer, chrom, start, end)
        found, released, outputs = compare_association(document, expected, label)
        problems += found
        entry = figures["association"]
        entry["gg"].append(seconds); entry["peer"].append(peer_seconds); entry["phases"].append(phases)
        entry["released"] += released; entry["outputs"] += outputs
        print(f"  {label}: GenomeGate {seconds * 1000:.0f} ms, peer {peer_seconds * 1000:.0f} ms; "
              f"{outputs} variants, {released} released, {len(found)} disagreements", file=sys.stderr)
    for number in range(args.runs):
        label = f"burden over {len(units)} genes (run {number + 1})"
        seconds, document, phases = gateway.run("burden", burden_parameters, poll)
        peer_seconds, expected = timed(burden_peer)
        found, released, outputs = compare_burden(document, expected, label)
        problems += found
        entry = figures["burden"]
        entry["gg"].append(seconds); entry["peer"].append(peer_seconds); entry["phases"].append(phases)
        entry["released"] += released; entry["outputs"] += outputs
        print(f"  {label}: GenomeGate {seconds * 1000:.0f} ms, peer {peer_seconds * 1000:.0f} ms; "
              f"{outputs} units, {released} released, {len(found)} disagreements", file=sys.stderr)
    # The floor under every job: one audited request (a finished job's status), 50 times.
    request_seconds = []
    for _ in range(50):
        seconds, _ = timed(gateway.send, "GET", f"/api/visiting/jobs/{document['job']}")
        request_seconds.append(seconds)
    figures["request"] = p50(request_seconds)
    figures["cohort"] = (len(case_samples), len(control_samples))
    return figures, problems


def throughput(args, port, cases):
    """Members submitting at once: (jobs, seconds, latencies, failures)."""
    members = args.members.split(",")
    poll = args.throughput_poll_ms / 1000
    lock = threading.Lock()
    latencies, failures = [], []

    def member_loop(number, member):
        gateway = Gateway(port, args.pki, member)
        pending = {}  # job id -> submitted at
        next_job = 0
        try:
            while next_job < args.jobs_per_member or pending:
                while next_job < args.jobs_per_member and len(pending) < args.in_flight:
                    chrom, start, end = region(100 + number * args.regions_per_member + next_job % args.regions_per_member)
                    job = gateway.submit("allelic-association", {"region": {"referenceName": chrom, "start": start, "end": end}, "cases": cases})
                    pending[job] = time.perf_counter()
                    next_job += 1
                status, listing = gateway.send("GET", "/api/visiting/jobs")
                if status != 200:
                    raise RuntimeError(f"{member}: listing jobs gave HTTP {status}: {listing}")
                states = {job["id"]: job for job in listing["jobs"]}
                for job in list(pending):
                    state = states.get(job, {}).get("state")
                    if state in ("failed", "cancelled"):
                        raise RuntimeError(f"{member}: job {job} {state}: {states[job].get('reason')}")
                    if state == "succeeded":
                        gateway.result(job)
                        with lock:
                            latencies.append(time.perf_counter() - pending.pop(job))
                time.sleep(poll)
        except (RuntimeError, OSError, http.client.HTTPException) as error:
            with lock:
                failures.append(str(error))

    threads = [threading.Thread(target=member_loop, args=(n, m)) for n, m in enumerate(members)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(latencies), time.perf_counter() - started, sorted(latencies), failures


def p50(values):
    return statistics.median(values) if values else float("nan")


def main():
    args = parse()
    cases = args.cases.split(",")
    ports = [(label, int(port)) for label, port in (item.split("=") for item in args.ports.split(","))]
    summary = {}
    failed = False
    print(f"bench-visiting: latency, {args.runs} runs of each job as researcher-jp on the '{ports[0][0]}' gateway", file=sys.stderr)
    try:
        figures, problems = latency(args, ports[0][1], cases)
    except (RuntimeError, OSError, http.client.HTTPException) as error:
        print(f"bench-visiting: the latency runs failed: {error}", file=sys.stderr)
        sys.exit(1)
    cases_n, controls_n = figures["cohort"]
    print(f"\ncases {'+'.join(cases)}: {cases_n} people, controls (everyone else): {controls_n} people (normal samples, researcher-jp's cohort)")
    print("\n| job (one at a time) | GenomeGate p50 (ms) | submit / queue+run / release p50 (ms) | peer p50 (ms) | peer / GenomeGate | outputs released / total |")
    print("|---|---|---|---|---|---|")
    for kind, title in (("association", "association, 1 Mb region"), ("burden", f"burden, {args.genes} genes of 10-50 kb")):
        entry = figures[kind]
        gg, pe = p50(entry["gg"]), p50(entry["peer"])
        ratio = pe / gg if gg > 0 else float("nan")
        phases = " / ".join("%.0f" % (p50([p[i] for p in entry["phases"]]) * 1000) for i in range(3))
        summary[f"{kind}_gg_ms"] = f"{gg * 1000:.0f}"
        summary[f"{kind}_peer_ms"] = f"{pe * 1000:.0f}"
        summary[f"{kind}_ratio"] = f"{ratio:.1f}"
        print(f"| {title} | {gg * 1000:.0f} | {phases} | {pe * 1000:.0f} | {ratio:.1f}x | {entry['released']} / {entry['outputs']} |")
    print(f"\none audited request (a job's status) takes p50 {figures['request'] * 1000:.1f} ms; a job takes at least three"
          f" (submit, status until it has succeeded: {'a long poll' if args.poll_ms == 0 else f'every {args.poll_ms:g} ms'}, result)")
    summary["request_ms"] = f"{figures['request'] * 1000:.1f}"
    if problems:
        failed = True
        print(f"\nbench-visiting: {len(problems)} disagreements between GenomeGate and the peer:", file=sys.stderr)
        for problem in problems[:40]:
            print(f"  {problem}", file=sys.stderr)
    summary["disagreements"] = str(len(problems))

    if args.ledger_port:
        # With the ledger on, a release is charged: its allele counts and every listing decision.
        gateway = Gateway(args.ledger_port, args.pki, "researcher-jp")
        chrom, start, end = region(60)
        try:
            seconds, _, phases = gateway.run("allelic-association", {"region": {"referenceName": chrom, "start": start, "end": end}, "cases": cases},
                                             args.poll_ms / 1000)
            status, whoami = gateway.send("GET", "/api/whoami")
            spent = [a["spent"] for a in ((whoami.get("privacy") or {}).get("approvals") or []) if a["approval"] == "A-2026-001"]
            print(f"\nwith the disclosure ledger on (budgets of 100): one association job over a new 1 Mb region {seconds * 1000:.0f} ms "
                  f"(release {phases[2] * 1000:.0f} ms, charging its counts and every listing decision); it spent {spent[0] if spent else '?'} of approval A-2026-001's 100")
            summary["ledger_job_ms"] = f"{seconds * 1000:.0f}"
        except (RuntimeError, OSError, http.client.HTTPException) as error:
            print(f"bench-visiting: the ledger run failed: {error}", file=sys.stderr)
            failed = True

    members = args.members.split(",")
    print(f"\n| {len(members)} members at once, {args.jobs_per_member} association jobs (1 Mb, over {args.regions_per_member} regions) each, up to {args.in_flight} in flight each | jobs | seconds | jobs/minute | job p50 (ms, submit to result) | failed |")
    print("|---|---|---|---|---|---|")
    budgets = []
    for label, port in ports:
        print(f"bench-visiting: throughput on the '{label}' gateway", file=sys.stderr)
        jobs, seconds, latencies, failures = throughput(args, port, cases)
        rate = jobs / seconds * 60
        summary[f"jobs_per_minute_{label}"] = f"{rate:.1f}"
        print(f"| {label} | {jobs} | {seconds:.1f} | {rate:.1f} | {p50(latencies) * 1000:.0f} | {len(failures)} |")
        for failure in failures[:5]:
            print(f"bench-visiting: {label}: {failure}", file=sys.stderr)
        spent = []
        for member in members:
            status, whoami = Gateway(port, args.pki, member).send("GET", "/api/whoami")
            approvals = (whoami.get("privacy") or {}).get("approvals") or [] if status == 200 else []
            spent.append(f"{member} " + (", ".join("%s %.1f" % (a["approval"], a["spent"]) for a in approvals)
                                         or ("(ledger off)" if status == 200 else f"(whoami: HTTP {status})")))
        budgets.append(f"{label}: " + "; ".join(spent))
        if failures:
            failed = True
    print("\nprivacy budget spent after the runs (of 100 per approval):")
    for line in budgets:
        print(f"  {line}")
    print("summary " + " ".join(f"{k}={v}" for k, v in summary.items()))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
