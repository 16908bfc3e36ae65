#!/usr/bin/env python3
"""How long a validator's durable record write takes, both ways, on this disk and machine.

    scripts/persist-latency.py DIR SECONDS

Alternates, every 10 ms for SECONDS, the two ways a 1,500-byte record (about a signing
record at half load) can be made durable in DIR (created if missing):

  replace  a new file, fsync, rename over the old one, fsync of the directory
           (`DurableFile.replace`, how the signing record was written before)
  slot     overwrite the older of two slots of an existing file, fdatasync
           (`AlternatingSlotFile`, how it is written now)

and prints p50, p90 and p99 of each in milliseconds. Run it once on an idle machine and
once beside a loaded testnet, on the testnets' disk (docs/performance.md, "Votes written
in place"): what the nodes' own writes and the run queue add is the point.
"""
import os
import sys
import time

RECORD = b"r" * 1_500
SLOT_BYTES = 4_096
HEADER_BYTES = 16


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    directory, seconds = sys.argv[1], float(sys.argv[2])
    os.makedirs(directory, exist_ok=True)
    slots = os.path.join(directory, "slots.bin")
    with open(slots, "wb") as file:
        file.write(b"\0" * (HEADER_BYTES + 2 * SLOT_BYTES))
        file.flush()
        os.fsync(file.fileno())
    writes = [0]

    def replace():
        temporary = os.path.join(directory, "record.tmp")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.write(descriptor, RECORD)
        os.fsync(descriptor)
        os.close(descriptor)
        os.rename(temporary, os.path.join(directory, "record.bin"))
        directory_descriptor = os.open(directory, os.O_RDONLY)
        os.fsync(directory_descriptor)
        os.close(directory_descriptor)

    def slot():
        descriptor = os.open(slots, os.O_WRONLY)
        os.pwrite(descriptor, RECORD, HEADER_BYTES + (writes[0] % 2) * SLOT_BYTES)
        writes[0] += 1
        os.fdatasync(descriptor)
        os.close(descriptor)

    times = {"replace": [], "slot": []}
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        for name, write in (("replace", replace), ("slot", slot)):
            start = time.perf_counter()
            write()
            times[name].append((time.perf_counter() - start) * 1_000)
            time.sleep(0.01)
    for name, values in times.items():
        values.sort()
        n = len(values)
        print(f"{name:8s} n={n} p50 {values[n // 2]:.2f} p90 {values[int(n * 0.9)]:.2f} "
              f"p99 {values[int(n * 0.99)]:.2f} ms")


if __name__ == "__main__":
    main()
