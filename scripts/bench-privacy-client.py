#!/usr/bin/env python3
"""Latency client of scripts/bench-privacy (standard library only).

Sends allele-frequency point queries, each about a different variant, to running gateways
(ledger off, ledger on, and with --peer a second ledger-off gateway: the noise floor of the
comparison) over keep-alive mutual-TLS connections, CONCURRENCY at a time, in rounds whose
order rotates so that all see the same machine load. Every round asks each gateway the same
variants (new ones each round), so they differ only by the ledger. Prints one line per mode:
"MODE requests p50_us p99_us requests_per_s failed".

  bench-privacy-client.py --off PORT --on PORT [--peer PORT] --pki DIR --identity researcher-jp \
      --variants FILE --rounds N --per-round N --warmup N --concurrency N
"""
import argparse
import http.client
import ssl
import sys
import threading
import time


def parse():
    parser = argparse.ArgumentParser()
    parser.add_argument("--off", type=int, required=True)
    parser.add_argument("--on", type=int, required=True)
    parser.add_argument("--peer", type=int, help="a second ledger-off gateway (the noise floor)")
    parser.add_argument("--pki", required=True)
    parser.add_argument("--identity", default="researcher-jp")
    parser.add_argument("--variants", required=True, help="lines: CHROM POS REF ALT")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--per-round", type=int, default=1000)
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=4)
    return parser.parse_args()


def context(pki, identity):
    ctx = ssl.create_default_context(cafile=f"{pki}/ca.pem")
    ctx.load_cert_chain(f"{pki}/{identity}.pem", f"{pki}/{identity}.key")
    ctx.check_hostname = False
    return ctx


def path_of(variant):
    chrom, pos, ref, alt = variant
    return (f"/api/aggregate/allele-frequency?referenceName={chrom}&start={int(pos) - 1}"
            f"&referenceBases={ref}&alternateBases={alt}&strata=false")


class Workers:
    """CONCURRENCY threads, each with its own keep-alive connection to one port."""

    def __init__(self, port, ctx, concurrency):
        self.connections = [http.client.HTTPSConnection("127.0.0.1", port, context=ctx, timeout=60)
                            for _ in range(concurrency)]

    def run(self, paths):
        """Sends every path once; returns (latencies in ns of 200 answers, failures, seconds)."""
        lock = threading.Lock()
        queue = list(reversed(paths))
        latencies, failures = [], []

        def work(connection):
            while True:
                with lock:
                    if not queue:
                        return
                    path = queue.pop()
                start = time.perf_counter_ns()
                try:
                    connection.request("GET", path)
                    response = connection.getresponse()
                    body = response.read()
                except (OSError, http.client.HTTPException) as error:
                    with lock:
                        failures.append(f"{path}: {error}")
                    connection.close()  # reconnects on the next request
                    continue
                elapsed = time.perf_counter_ns() - start
                with lock:
                    if response.status == 200:
                        latencies.append(elapsed)
                    else:
                        failures.append(f"{path}: HTTP {response.status} {body[:300]!r}")

        threads = [threading.Thread(target=work, args=(c,)) for c in self.connections]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return latencies, failures, time.perf_counter() - started


def percentile(sorted_values, p):
    return sorted_values[min(len(sorted_values) - 1, int(len(sorted_values) * p))]


def main():
    args = parse()
    with open(args.variants) as file:
        variants = [line.split() for line in file if line.strip()]
    needed = args.warmup + args.rounds * args.per_round
    if len(variants) < needed:
        sys.exit(f"bench-privacy-client: {len(variants)} variants, {needed} needed (warm-up + rounds x per-round)")
    ctx = context(args.pki, args.identity)
    gateways = {"off": Workers(args.off, ctx, args.concurrency), "on": Workers(args.on, ctx, args.concurrency)}
    if args.peer:
        gateways["peer"] = Workers(args.peer, ctx, args.concurrency)
    modes = list(gateways)
    results = {mode: ([], [], 0.0) for mode in gateways}
    # Warm-up: connections, caches, the ledger's first pool; not measured.
    warmup = [path_of(v) for v in variants[:args.warmup]]
    for mode, workers in gateways.items():
        _, failures, _ = workers.run(warmup)
        if failures:
            sys.exit(f"bench-privacy-client: warm-up against the ledger-{mode} gateway failed: {failures[0]}")
    for number in range(args.rounds):
        first = args.warmup + number * args.per_round
        paths = [path_of(v) for v in variants[first:first + args.per_round]]
        order = modes[number % len(modes):] + modes[:number % len(modes)]
        for mode in order:
            latencies, failures, seconds = gateways[mode].run(paths)
            all_latencies, all_failures, total = results[mode]
            results[mode] = (all_latencies + latencies, all_failures + failures, total + seconds)
    for mode in modes:
        latencies, failures, seconds = results[mode]
        for failure in failures[:3]:
            print(f"bench-privacy-client: ledger {mode}: {failure}", file=sys.stderr)
        latencies.sort()
        if not latencies:
            sys.exit(f"bench-privacy-client: no request to the ledger-{mode} gateway succeeded")
        print(mode, len(latencies), f"{percentile(latencies, 0.5) / 1000:.1f}", f"{percentile(latencies, 0.99) / 1000:.1f}",
              f"{(len(latencies) + len(failures)) / seconds:.1f}", len(failures))


if __name__ == "__main__":
    main()
