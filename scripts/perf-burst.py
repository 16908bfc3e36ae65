#!/usr/bin/env python3
"""The nodes' samples of a burst, split into signature checks and the rest, by job.

    python3 scripts/perf-burst.py PERF_DATA PID[,PID...]

PERF_DATA is a machine-wide `perf record -a -g` taken over a whole `medledger bench` run;
PIDS are the nodes' processes. Swift symbols are demangled with `swift demangle`. The window is the seconds in which the nodes took more than
150 samples together (the load), widened by a second before and two after. Each sample goes
to signature checks when any frame on its stack is Ed25519's, else to the first job below
whose pattern matches a frame, else to SQLite, malloc or the rest by its innermost frame.

The nodes verify the same signatures in every burst of the same size, so "other ÷
signatures" compares two builds even when the machine's speed drifts between runs
(docs/performance.md, "A burst on the whole machine").
"""
import collections
import re
import subprocess
import sys

SIGNATURES = re.compile(r"ED25519|fe_mul|(?<![A-Za-z])ge_|x25519|fiat_|sc_muladd|sc_reduce|hasValidSignature")
JOBS = [
    ("the mempool's commit scan", r"Mempool\.removeCommitted"),
    ("mempool admission", r"Mempool\.admit"),
    ("the block's SQLite commit (Swift side)", r"LedgerStore\.commit"),
    ("taking a block's state changes", r"LedgerState\.takeChanges|LedgerState\.adopt"),
    ("the valid-block file", r"ValidBlockFile"),
    ("the privval state file", r"PrivateValidator"),
    ("executing proposals", r"validateAndExecute"),
    ("building blocks", r"buildNextBlock|BlockExecutor\.build"),
    ("decoding proposals' blocks", r"Block\.decodeBody|PeerMessage\.readBlock"),
    ("decoding gossip", r"PeerMessage\.init|Transaction\.decode"),
    ("VerifiedSignatures", r"VerifiedSignatures"),
    ("admitting gossip", r"admitGossiped|GossipAdmissionQueue"),
    ("API submissions", r"submitTransactionBatch|LedgerNode\.submit"),
    ("the rest of the API", r"UniversalServer|Hummingbird|HTTP1|NIOHTTP"),
    ("peer links", r"PeerNetwork|PeerConnectionHandler|PeerFrameDecoder|NIOSSLHandler|Socket"),
    ("the rest of consensus", r"ConsensusDriver|Tendermint|LedgerNode\.commit"),
]
COMPILED = [(name, re.compile(pattern)) for name, pattern in JOBS]


def read_samples(data):
    raw = subprocess.run(
        ["perf", "script", "-i", data, "-F", "pid,time,ip,sym"], capture_output=True, text=True, check=True
    ).stdout
    script = subprocess.run(
        ["swift", "demangle", "--simplified"], input=raw, capture_output=True, text=True, check=True
    ).stdout
    samples, current = [], None
    for line in script.splitlines():
        if not line.strip():
            if current:
                samples.append(current)
            current = None
        elif not line.startswith("\t"):
            pid, time = line.split()[:2]
            current = (pid, float(time.rstrip(":")), [])
        else:
            current[2].append(line.strip())
    if current:
        samples.append(current)
    return samples


def job(stack):
    if any(SIGNATURES.search(frame) for frame in stack):
        return "signature checks"
    for name, pattern in COMPILED:
        if any(pattern.search(frame) for frame in stack):
            return name
    leaf = stack[0] if stack else ""
    if "sqlite" in leaf:
        return "SQLite's own code"
    if re.search(r"malloc|_int_free|cfree|unlink_chunk", leaf):
        return "malloc and free"
    return "the rest"


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    pids = set(sys.argv[2].split(","))
    samples = [s for s in read_samples(sys.argv[1]) if s[0] in pids]
    per_second = collections.Counter(int(time) for _, time, _ in samples)
    busy = [second for second, count in per_second.items() if count > 150]
    if not busy:
        sys.exit("the nodes were never busy in this recording")
    start, end = min(busy) - 1, max(busy) + 2
    jobs = collections.Counter(job(stack) for _, time, stack in samples if start <= time < end)
    signatures = jobs.pop("signature checks", 0)
    other = sum(jobs.values())
    print(f"window {end - start} s: signature checks {signatures}, other {other}, "
          f"other / signatures {other / max(signatures, 1):.3f}")
    for name, count in jobs.most_common():
        print(f"  {count:6d}  {name}")


if __name__ == "__main__":
    main()
