#!/usr/bin/env python3
"""Client of scripts/bench-console: times every console page on a running gateway over mutual
TLS, each beside the API call that answers the same question (the peer), on one keep-alive
connection per member (the handshake is not timed).

Placeholders in the pages' paths are filled first: {variant} and {variant_api} with --variant
(as the page takes it, and as the API's parameters), {region} and {region_api} with the 2 Mb
around it, and {job} with an allelic-association job over that region submitted through the
API as researcher-de (another member: the differencing rule would weigh the job's groups against
researcher-jp's cohort summary) and waited for.

Each page is requested --warmup times, then --runs times; a request is timed from writing it to
reading the last byte of the answer, over loopback, so the figure is the gateway's time for the
page plus the TLS record layer. Every answer must be 200. Prints one line per page (p50, p95, the
API's p50 and the page's cost over the API's) and a last line "summary pages=N slowest=MS".
"""
import argparse
import http.client
import json
import os
import ssl
import urllib.parse
import statistics
import sys
import time


def connection(port, pki, identity):
    context = ssl.create_default_context(cafile=os.path.join(pki, "ca.pem"))
    context.load_cert_chain(os.path.join(pki, identity + ".pem"), os.path.join(pki, identity + ".key"))
    return http.client.HTTPSConnection("localhost", port, context=context)


def fetch(conn, path):
    started = time.perf_counter()
    conn.request("GET", path, headers={"Accept-Language": "en"})
    response = conn.getresponse()
    body = response.read()
    return time.perf_counter() - started, response.status, body


def measure(conn, path, warmup, runs):
    for _ in range(warmup):
        _, status, body = fetch(conn, path)
        if status != 200:
            raise SystemExit(f"bench-console: {path} answered {status}: {body[:300]!r}")
    times = []
    for _ in range(runs):
        seconds, status, body = fetch(conn, path)
        if status != 200:
            raise SystemExit(f"bench-console: {path} answered {status}: {body[:300]!r}")
        times.append(seconds * 1000)
    times.sort()
    return statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)], len(body)


def placeholders(port, pki, variant):
    """The paths' placeholders around `variant` (CHROM:POS:REF>ALT)."""
    chromosome, position, alleles = variant.split(":")
    reference, alternate = alleles.split(">")
    first = max(1, int(position) - 999_999)
    region = f"{chromosome}:{first}-{first + 1_999_999}"
    region_api = f"referenceName={chromosome}&start={first - 1}&end={first + 1_999_999}&strata=false"
    variant_api = (f"referenceName={chromosome}&start={int(position) - 1}&referenceBases={reference}"
                   f"&alternateBases={alternate}")
    conn = connection(port, pki, "researcher-de")
    job = {"analysis": "allelic-association",
           "parameters": {"region": {"referenceName": chromosome, "start": first, "end": first + 1_999_999}, "cases": ["NCIT:C2955", "NCIT:C8294"]}}
    conn.request("POST", "/api/visiting/jobs", body=json.dumps(job), headers={"Content-Type": "application/json"})
    response = conn.getresponse()
    answer = json.loads(response.read() or b"{}")
    if response.status != 202:
        raise SystemExit(f"bench-console: the job was not accepted ({response.status}): {answer}")
    _, status, body = fetch(conn, f"/api/visiting/jobs/{answer['id']}?wait=30")
    if json.loads(body).get("state") != "succeeded":
        raise SystemExit(f"bench-console: the job did not succeed: {body[:300]!r}")
    # Released once before any page is timed (the ledger's differencing rule weighs a release
    # against the answers given before it; repeats are free).
    _, status, body = fetch(conn, f"/api/visiting/jobs/{answer['id']}/result")
    if status != 200:
        raise SystemExit(f"bench-console: the job's result was not released ({status}): {body[:300]!r}")
    conn.close()
    return {"{variant}": urllib.parse.quote(variant, safe=":"), "{variant_api}": variant_api, "{region}": region,
            "{region_api}": region_api, "{job}": answer["id"]}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--pki", required=True)
    parser.add_argument("--pages", required=True, help="a JSON file: [[label, identity, page path, API path or null], ...]")
    parser.add_argument("--variant", required=True, help="a variant carried by many (CHROM:POS:REF>ALT): its page, and the 2 Mb around it")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--runs", type=int, default=200)
    arguments = parser.parse_args()
    pages = json.load(open(arguments.pages))
    filled = placeholders(arguments.port, arguments.pki, arguments.variant)
    for page in pages:
        for index in (2, 3):
            for key, value in filled.items():
                if page[index]:
                    page[index] = page[index].replace(key, value)
    connections = {}
    print(f"{'page':<34} {'member':<14} {'p50 ms':>7} {'p95 ms':>7} {'KiB':>6}  {'API p50':>7}  page/API")
    slowest = 0.0
    for label, identity, path, api in pages:
        conn = connections.setdefault(identity, connection(arguments.port, arguments.pki, identity))
        p50, p95, size = measure(conn, path, arguments.warmup, arguments.runs)
        slowest = max(slowest, p50)
        if api:
            api_p50, _, _ = measure(conn, api, arguments.warmup, arguments.runs)
            peer = f"{api_p50:7.2f}  {p50 / api_p50:6.2f}x"
        else:
            peer = f"{'–':>7}  {'–':>7}"
        print(f"{label:<34} {identity:<14} {p50:7.2f} {p95:7.2f} {size / 1024:6.1f}  {peer}", flush=True)
    print(f"summary pages={len(pages)} slowest={slowest:.2f}")


if __name__ == "__main__":
    sys.exit(main())
