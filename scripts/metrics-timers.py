#!/usr/bin/env python3
"""Summarizes the node timers of /metrics between two scrapes.

    scripts/metrics-timers.py snap URL... > before.json      # scrape now
    scripts/metrics-timers.py diff before.json URL...        # scrape again, print the change

For each node and each `medledger_*_seconds` histogram (block build, check, commit,
interval; transaction wait by source) prints the count, the mean and the p50/p90/p99 upper
bucket bounds of what was recorded between the two scrapes. Bucket bounds, not exact
values: a p99 of "0.3" means the 99th percentile fell in the bucket ending at 300 ms.
"""
import json
import re
import sys
import urllib.request

SAMPLE = re.compile(r'^(medledger_[a-z_]+_seconds)_(bucket|sum|count)(\{([^}]*)\})? (\S+)$')
TIMERS = ("block_build", "block_check", "block_commit", "block_interval", "transaction_wait")


def scrape(url):
    text = urllib.request.urlopen(url.rstrip("/") + "/metrics", timeout=10).read().decode()
    series = {}
    for line in text.splitlines():
        match = SAMPLE.match(line)
        if not match or not any(t in match.group(1) for t in TIMERS):
            continue
        name, kind, labels, value = match.group(1), match.group(2), match.group(4) or "", float(match.group(5))
        pairs = dict(re.findall(r'(\w+)="([^"]*)"', labels))
        le = pairs.pop("le", None)
        key = name + "".join(f" {k}={v}" for k, v in sorted(pairs.items()))
        entry = series.setdefault(key, {"buckets": {}, "sum": 0.0, "count": 0.0})
        if kind == "bucket":
            entry["buckets"][le] = value
        else:
            entry[kind] = value
    return series


def quantile(buckets, q):
    total = buckets.get("+Inf", 0)
    if total <= 0:
        return None
    for le, count in sorted(((float(k), v) for k, v in buckets.items()), key=lambda p: p[0]):
        if count >= q * total:
            return le
    return float("inf")


def main():
    mode = sys.argv[1]
    if mode == "snap":
        json.dump({url: scrape(url) for url in sys.argv[2:]}, sys.stdout)
        return
    before = json.load(open(sys.argv[2]))
    for url in sys.argv[3:]:
        now, old = scrape(url), before.get(url, {})
        print(url)
        for key in sorted(now):
            entry, prior = now[key], old.get(key, {"buckets": {}, "sum": 0.0, "count": 0.0})
            count = entry["count"] - prior["count"]
            if count <= 0:
                continue
            buckets = {le: v - prior["buckets"].get(le, 0) for le, v in entry["buckets"].items()}
            mean_ms = (entry["sum"] - prior["sum"]) / count * 1000
            marks = " ".join(f"p{int(q * 100)}<={quantile(buckets, q) * 1000:g}ms" for q in (0.5, 0.9, 0.99))
            print(f"  {key:55s} n={int(count):7d} mean={mean_ms:7.1f}ms {marks}")


if __name__ == "__main__":
    main()
