#!/usr/bin/env python3
"""The node CPU one HTTP request costs: N requests over 4 keep-alive connections, and the
node's CPU ticks (/proc/PID/stat, user + system) before and after.

    python3 scripts/request-cost.py PID URL [N] [--post FILE]

PID is the node's process, URL the request's address (GET, or POST of FILE's bytes as
application/json). Prints the statuses seen, the requests per second, and the node's CPU
per request in microseconds. Run it against an otherwise idle node: anything else the node
does in the meantime counts too (docs/performance.md, "What a request costs").
"""
import http.client
import os
import sys
import threading
import time
import urllib.parse

CONNECTIONS = 4


def cpu_ticks(pid):
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime, stime


def send(url, count, body, statuses):
    connection = http.client.HTTPConnection(url.hostname, url.port)
    headers = {"Content-Type": "application/json"} if body is not None else {}
    path = url.path + (f"?{url.query}" if url.query else "")
    for _ in range(count):
        connection.request("POST" if body is not None else "GET", path, body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        statuses.add(response.status)
    connection.close()


def main():
    args = sys.argv[1:]
    body = None
    if "--post" in args:
        at = args.index("--post")
        with open(args[at + 1], "rb") as file:
            body = file.read()
        del args[at:at + 2]
    if len(args) not in (2, 3):
        sys.exit(__doc__)
    pid, url = int(args[0]), urllib.parse.urlsplit(args[1])
    count = int(args[2]) if len(args) == 3 else 4000
    statuses = set()
    per_connection = max(1, count // CONNECTIONS)
    workers = [threading.Thread(target=send, args=(url, per_connection, body, statuses)) for _ in range(CONNECTIONS)]
    ticks_before, start = cpu_ticks(pid), time.monotonic()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed, ticks = time.monotonic() - start, cpu_ticks(pid) - ticks_before
    sent = per_connection * CONNECTIONS
    tick_seconds = 1 / os.sysconf("SC_CLK_TCK")
    print(f"{sent} requests, statuses {sorted(statuses)}, {sent / elapsed:.0f} requests/s, "
          f"node CPU {ticks} ticks = {ticks * tick_seconds / sent * 1e6:.0f} µs per request")


if __name__ == "__main__":
    main()
