#!/usr/bin/env python3
"""Groups a validator's samples in a `perf record -g` file by what they were doing.

    python3 scripts/perf-group.py PERF_DATA PID[,PID...]

Each sample of the given processes goes to the first group whose pattern matches any frame
(or library) on its stack, in the order below: signatures before SQLite, SQLite's kernel
calls before SQLite's own code, and so on. Prints the share of each group and the sample
counts per process, so two profiles (say a fresh and a preloaded node) compare by samples
for the same transactions. Used for docs/performance.md.
"""
import collections
import re
import subprocess
import sys

GROUPS = [
    ("transaction signatures (Ed25519)", r"ED25519_verify|hasValidSignature|fe_mul|(?<![A-Za-z])ge_"),
    ("pwrite64", r"pwrite64"),
    ("pread64", r"pread64"),
    ("fsync and fdatasync", r"fdatasync|fsync"),
    ("SQLite's code", r"libsqlite3|sqlite3"),
    ("state tree", r"StateTree|SparseMerkle"),
    ("sha256", r"SHA256|sha256"),
    ("mempool", r"Mempool"),
    ("HTTP and JSON", r"JSON|Hummingbird|HTTP"),
    ("peers", r"MedLedgerP2P|NIOSSL|ssl"),
    ("consensus steps (commit, execute, votes)", r"Consensus|Tendermint|Proposal|Vote"),
]


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    data, pids = sys.argv[1], set(sys.argv[2].split(","))
    script = subprocess.run(
        ["perf", "script", "-i", data, "-F", "comm,pid,tid,ip,sym,dso"],
        capture_output=True, text=True, check=True).stdout
    groups = collections.Counter()
    per_process = collections.Counter()
    for sample in script.split("\n\n"):
        lines = [line for line in sample.strip().split("\n") if line.strip()]
        if not lines:
            continue
        pid = lines[0].split()[1].split("/")[0]
        per_process[pid] += 1
        if pid not in pids:
            continue
        stack = "\n".join(lines)
        name = next((name for name, pattern in GROUPS if re.search(pattern, stack)), "everything else")
        groups[name] += 1
    total = sum(groups.values())
    if total == 0:
        sys.exit(f"no samples of {sorted(pids)} in {data}")
    for name, count in groups.most_common():
        print(f"{name:45s} {count:6d} {100 * count / total:5.1f} %")
    print(f"{'all':45s} {total:6d}")
    print("samples per process:", dict(per_process.most_common(8)))


if __name__ == "__main__":
    main()
