#!/usr/bin/env python3
"""A model of the ledger's per-block SQLite writes, to compare table layouts apart from the node.

Each "block" writes, in one WAL transaction with synchronous=FULL and a 64 MiB page cache (as
`SQLiteDatabase` configures the node's connection), 1,000 transaction rows (32-byte hash,
signer, ~220-byte receipt), 1,000 new state entries (a hashed key, ~200-byte value) and 1,000
event rows keyed by a random 32-byte subject: what a block of patient self-registrations
writes. The script first fills the tables with PRELOAD rows of each (synchronous=OFF, in
batches of 10,000), then times BLOCKS such blocks and prints wall and CPU time per block.

    [PAGE_SIZE=BYTES] [FAN_IN=16] [BUDGET_PER_KEY=6] [RATE_PER_KEY=2] python3 scripts/sqlite-layout-model.py LAYOUT PRELOAD BLOCKS [DIR]

LAYOUT:
  v1          schema version 1: transactions keyed by hash, events by subject, state by key,
              rows and all (WITHOUT ROWID)
  v2-statekey transactions and events keyed in commit order with narrow hash/subject
              indexes; state still keyed by key
  v2          schema version 2 as shipped: the above, and state rows in order of first write
              with the key in a unique index
  no-random-index  state-log without the hash and subject indexes: what the two narrow
              random indexes cost, as a bound
  state-log   the above with state appended and not indexed at all: what schema version 3
              writes for new keys (it finds an existing key's row through a map in memory,
              StateRowIndex, and rewrites it by row id)
  runs        schema version 4: state-log with the hash and subject indexes kept as sorted
              runs (SortedRunIndex: a run per block, FAN_IN runs of a level merged into one of
              the next, at most 6 keys moved per key added, a slice per block)
  chunks      schema version 5 as shipped: the runs of version 4, a row holding a chunk of a
              run's consecutive keys (RunChunk: the first key in `first`, the others LEB128
              length-prefixed in one blob, at most 960 bytes) and merged outside SQLite

Compare layouts by the ratio of their CPU per block at PRELOAD=20000 and PRELOAD=1000000 in
one sitting; absolute figures include Python's own per-row cost.
"""
import os
import sys
import time

LAYOUTS = {
    "v1": """
        CREATE TABLE transactions (hash BLOB PRIMARY KEY, height INTEGER NOT NULL, position INTEGER NOT NULL,
            signer BLOB NOT NULL, receipt BLOB NOT NULL, UNIQUE (height, position)) WITHOUT ROWID;
        CREATE TABLE state (key BLOB PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;
        CREATE TABLE events (subject BLOB NOT NULL, height INTEGER NOT NULL, position INTEGER NOT NULL,
            event_index INTEGER NOT NULL, time INTEGER NOT NULL, event BLOB NOT NULL,
            PRIMARY KEY (subject, height, position, event_index)) WITHOUT ROWID;""",
    "v2-statekey": """
        CREATE TABLE transactions (height INTEGER NOT NULL, position INTEGER NOT NULL, hash BLOB NOT NULL,
            signer BLOB NOT NULL, receipt BLOB NOT NULL, PRIMARY KEY (height, position)) WITHOUT ROWID;
        CREATE UNIQUE INDEX transactions_by_hash ON transactions(hash);
        CREATE TABLE state (key BLOB PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;
        CREATE TABLE events (height INTEGER NOT NULL, position INTEGER NOT NULL, event_index INTEGER NOT NULL,
            subject BLOB NOT NULL, time INTEGER NOT NULL, event BLOB NOT NULL,
            PRIMARY KEY (height, position, event_index, subject)) WITHOUT ROWID;
        CREATE INDEX events_by_subject ON events(subject, height, position, event_index);""",
}
LAYOUTS["v2"] = LAYOUTS["v2-statekey"].replace(
    "CREATE TABLE state (key BLOB PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;",
    "CREATE TABLE state (id INTEGER PRIMARY KEY, key BLOB NOT NULL UNIQUE, value BLOB NOT NULL);")
LAYOUTS["state-log"] = LAYOUTS["v2-statekey"].replace(
    "CREATE TABLE state (key BLOB PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;",
    "CREATE TABLE state (id INTEGER PRIMARY KEY, key BLOB NOT NULL, value BLOB NOT NULL);")
LAYOUTS["two-tier"] = LAYOUTS["state-log"].replace(
    "CREATE UNIQUE INDEX transactions_by_hash ON transactions(hash);", """
        CREATE TABLE transaction_hashes (hash BLOB PRIMARY KEY, height INTEGER NOT NULL, position INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE transaction_hashes_recent (hash BLOB PRIMARY KEY, height INTEGER NOT NULL, position INTEGER NOT NULL) WITHOUT ROWID;""").replace(
    "CREATE INDEX events_by_subject ON events(subject, height, position, event_index);", """
        CREATE TABLE event_subjects (subject BLOB NOT NULL, height INTEGER NOT NULL, position INTEGER NOT NULL,
            event_index INTEGER NOT NULL, PRIMARY KEY (subject, height, position, event_index)) WITHOUT ROWID;
        CREATE TABLE event_subjects_recent (subject BLOB NOT NULL, height INTEGER NOT NULL, position INTEGER NOT NULL,
            event_index INTEGER NOT NULL, PRIMARY KEY (subject, height, position, event_index)) WITHOUT ROWID;""")
LAYOUTS["no-random-index"] = LAYOUTS["state-log"].replace(
    "CREATE UNIQUE INDEX transactions_by_hash ON transactions(hash);", "").replace(
    "CREATE INDEX events_by_subject ON events(subject, height, position, event_index);", "")
LAYOUTS["runs"] = LAYOUTS["no-random-index"] + """
        CREATE TABLE index_runs (run INTEGER PRIMARY KEY, index_table TEXT NOT NULL, level INTEGER NOT NULL,
            merging_into INTEGER);
        CREATE TABLE transaction_hash_runs (run INTEGER NOT NULL, key BLOB NOT NULL, PRIMARY KEY (run, key)) WITHOUT ROWID;
        CREATE TABLE event_subject_runs (run INTEGER NOT NULL, key BLOB NOT NULL, PRIMARY KEY (run, key)) WITHOUT ROWID;"""
LAYOUTS["chunks"] = LAYOUTS["runs"].replace(
    "key BLOB NOT NULL, PRIMARY KEY (run, key)", "first BLOB NOT NULL, keys BLOB NOT NULL, PRIMARY KEY (run, first)")


FAN_IN = int(os.environ.get("FAN_IN", "16"))
BUDGET_PER_KEY = int(os.environ.get("BUDGET_PER_KEY", "6"))
RATE_PER_KEY = int(os.environ.get("RATE_PER_KEY", "2"))


class SortedRuns:
    """The node's SortedRunIndex, statement for statement (FAN_IN, budget max(1024, BUDGET_PER_KEY per key),
    each merge at most max(1024, RATE_PER_KEY per key))."""

    def __init__(self, db, table):
        self.db, self.table = db, table

    def next_run(self):
        return (self.db.execute("SELECT MAX(run) FROM index_runs").fetchone()[0] or 0) + 1

    def add(self, keys):
        db, table = self.db, self.table
        if keys:
            run = self.next_run()
            db.execute("INSERT INTO index_runs VALUES (?, ?, 0, NULL)", (run, table))
            db.executemany(f"INSERT INTO {table}(run, key) VALUES (?, ?)", [(run, k) for k in sorted(keys)])
        finished, merging = {}, set()
        for run, level, is_source in db.execute(
                "SELECT r.run, r.level, r.merging_into IS NOT NULL FROM index_runs r WHERE r.index_table = ? AND "
                "NOT EXISTS (SELECT 1 FROM index_runs s WHERE s.merging_into = r.run) ORDER BY r.level, r.run",
                (table,)).fetchall():
            if is_source:
                merging.add(level)
            else:
                finished.setdefault(level, []).append(run)
        for level in sorted(finished):
            if level not in merging and len(finished[level]) >= FAN_IN:
                destination = self.next_run()
                db.execute("INSERT INTO index_runs VALUES (?, ?, ?, NULL)", (destination, table, level + 1))
                for source in finished[level][:FAN_IN]:
                    db.execute("UPDATE index_runs SET merging_into = ? WHERE run = ?", (destination, source))
        budget = max(1024, BUDGET_PER_KEY * len(keys))
        share = max(1024, RATE_PER_KEY * len(keys))
        merges = {}
        for source, destination, level in db.execute(
                "SELECT s.run, s.merging_into, d.level FROM index_runs s JOIN index_runs d ON d.run = s.merging_into "
                "WHERE s.index_table = ? ORDER BY d.level, d.run, s.run", (table,)).fetchall():
            merges.setdefault((level, destination), []).append(source)
        for (_, destination), sources in sorted(merges.items()):
            if budget <= 0:
                break
            budget -= self.advance(destination, sources, min(budget, share))

    def advance(self, destination, sources, budget):
        db, table = self.db, self.table
        chunk = max(16, budget // len(sources))
        bound = None
        for source in sources:
            row = db.execute(f"SELECT key FROM {table} WHERE run = ? ORDER BY key LIMIT 1 OFFSET ?",
                             (source, chunk - 1)).fetchone()
            if row and (bound is None or row[0] < bound):
                bound = row[0]
        up_to, extra = ("", ()) if bound is None else (" AND key <= ?", (bound,))
        marks = ", ".join("?" * len(sources))
        moved = db.execute(
            f"INSERT INTO {table}(run, key) SELECT ?, key FROM {table} WHERE run IN ({marks}){up_to} ORDER BY key",
            (destination, *sources, *extra)).rowcount
        for source in sources:
            db.execute(f"DELETE FROM {table} WHERE run = ?{up_to}", (source, *extra))
            if not db.execute(f"SELECT 1 FROM {table} WHERE run = ? LIMIT 1", (source,)).fetchone():
                db.execute("DELETE FROM index_runs WHERE run = ?", (source,))
        return moved


CHUNK_BYTES = 960


def encoded_size(key):
    return (max(1, (len(key).bit_length() + 6) // 7)) + len(key)


def split_chunks(keys):
    """RunChunk.split: as many sorted keys per chunk as fit CHUNK_BYTES, at least one."""
    chunks, current, size = [], [], 0
    for key in keys:
        if current and size + encoded_size(key) > CHUNK_BYTES:
            chunks.append(current)
            current, size = [], 0
        current.append(key)
        size += encoded_size(key)
    if current:
        chunks.append(current)
    return chunks


def encode_chunk(keys):
    out = bytearray()
    for key in keys:
        length = len(key)
        while length >= 0x80:
            out.append((length & 0x7F) | 0x80)
            length >>= 7
        out.append(length)
        out += key
    return bytes(out)


def decode_chunk(first, blob):
    keys, offset = [first], 0
    while offset < len(blob):
        length, shift = 0, 0
        while True:
            byte = blob[offset]
            offset += 1
            length |= (byte & 0x7F) << shift
            shift += 7
            if byte < 0x80:
                break
        keys.append(bytes(blob[offset:offset + length]))
        offset += length
    return keys


class ChunkedRuns:
    """Schema version 5's SortedRunIndex, statement for statement: rows of chunks, the run list
    read once per block (again only when a merge starts), a slice merged outside SQLite."""

    def __init__(self, db, table):
        self.db, self.table = db, table

    def new_run(self, level):
        run = (self.db.execute("SELECT MAX(run) FROM index_runs").fetchone()[0] or 0) + 1
        self.db.execute("INSERT INTO index_runs VALUES (?, ?, ?, NULL)", (run, self.table, level))
        return run

    def insert(self, keys, run):
        self.db.executemany(f"INSERT INTO {self.table}(run, first, keys) VALUES (?, ?, ?)",
                            [(run, chunk[0], encode_chunk(chunk[1:])) for chunk in split_chunks(keys)])

    def run_list(self):
        return self.db.execute("SELECT run, level, merging_into FROM index_runs WHERE index_table = ? ORDER BY run",
                               (self.table,)).fetchall()

    def add(self, keys):
        if keys:
            self.insert(sorted(keys), self.new_run(0))
        runs = self.run_list()
        if self.start_due_merges(runs):
            runs = self.run_list()
        levels = {run: level for run, level, _ in runs}
        merges = {}
        for run, _, into in runs:
            if into is not None:
                merges.setdefault(into, []).append(run)
        budget = max(1024, BUDGET_PER_KEY * len(keys))
        share = max(1024, RATE_PER_KEY * len(keys))
        for destination in sorted(merges, key=lambda d: (levels[d], d)):
            if budget <= 0:
                break
            budget -= self.advance(destination, merges[destination], min(budget, share))

    def start_due_merges(self, runs):
        destinations = {into for _, _, into in runs if into is not None}
        finished, merging = {}, set()
        for run, level, into in runs:
            if run in destinations:
                continue
            if into is not None:
                merging.add(level)
            else:
                finished.setdefault(level, []).append(run)
        started = False
        for level in sorted(finished):
            if level not in merging and len(finished[level]) >= FAN_IN:
                destination = self.new_run(level + 1)
                for source in finished[level][:FAN_IN]:
                    self.db.execute("UPDATE index_runs SET merging_into = ? WHERE run = ?", (destination, source))
                started = True
        return started

    def head(self, run, wanted):
        keys, ends = [], []
        cursor = self.db.execute(f"SELECT first, keys FROM {self.table} WHERE run = ? ORDER BY first", (run,))
        for first, blob in cursor:
            if len(keys) >= wanted:
                return keys, ends, False
            keys += decode_chunk(first, blob)
            ends.append(len(keys))
        return keys, ends, True

    def advance(self, destination, sources, budget):
        db, table = self.db, self.table
        per_source = max(16, budget // len(sources))
        heads = [(source, *self.head(source, per_source)) for source in sources]
        bound = None
        for _, keys, _, _ in heads:
            if len(keys) >= per_source and (bound is None or keys[per_source - 1] < bound):
                bound = keys[per_source - 1]
        taken = [len(keys) if bound is None else sum(1 for key in keys if key <= bound) for _, keys, _, _ in heads]
        moved = sorted(key for (_, keys, _, _), count in zip(heads, taken) for key in keys[:count])
        if moved:
            last = db.execute(f"SELECT first, keys FROM {table} WHERE run = ? ORDER BY first DESC LIMIT 1",
                              (destination,)).fetchone()
            if last:
                chunk = decode_chunk(*last)
                if sum(map(encoded_size, chunk)) < CHUNK_BYTES:
                    moved = chunk + moved
                    db.execute(f"DELETE FROM {table} WHERE run = ? AND first = ?", (destination, last[0]))
            self.insert(moved, destination)
        for (source, keys, ends, reached_end), count in zip(heads, taken):
            if count > 0:
                cut = next(i for i, end in enumerate(ends) if end >= count)
                db.execute(f"DELETE FROM {table} WHERE run = ? AND first <= ?",
                           (source, keys[0 if cut == 0 else ends[cut - 1]]))
                if ends[cut] > count:
                    self.insert(keys[count:ends[cut]], source)
            if reached_end and count == len(keys):
                db.execute("DELETE FROM index_runs WHERE run = ?", (source,))
        return sum(taken)


MERGE_ROWS = int(os.environ.get("MERGE_ROWS", "65536"))
recent_rows = 0


def write_block(db, layout, height, count):
    global recent_rows
    random = os.urandom
    db.execute("BEGIN")
    transactions = [(random(32), height, i, random(32), random(220)) for i in range(count)]
    db.executemany(
        "INSERT INTO transactions(hash, height, position, signer, receipt) VALUES (?, ?, ?, ?, ?)", transactions)
    if layout == "two-tier":
        for row in transactions:
            if db.execute("SELECT 1 FROM transaction_hashes WHERE hash = ?", (row[0],)).fetchone():
                raise RuntimeError("duplicate hash")
        db.executemany("INSERT INTO transaction_hashes_recent(hash, height, position) VALUES (?, ?, ?)",
                       [row[:3] for row in transactions])
    state_rows = [(b"identity/" + random(32), random(200)) for _ in range(count)]
    if layout in ("state-log", "no-random-index", "two-tier", "runs", "chunks"):
        db.executemany("INSERT INTO state(key, value) VALUES (?, ?)", state_rows)
    else:
        db.executemany(
            "INSERT INTO state(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            state_rows)
    events = [(random(32), height, i, height, random(150)) for i in range(count)]
    db.executemany(
        "INSERT INTO events(subject, height, position, event_index, time, event) VALUES (?, ?, ?, 0, ?, ?)", events)
    if layout in ("runs", "chunks"):
        be = lambda n: n.to_bytes(8, "big")
        index = SortedRuns if layout == "runs" else ChunkedRuns
        index(db, "transaction_hash_runs").add([row[0] + be(height) + be(row[2]) for row in transactions])
        index(db, "event_subject_runs").add(
            [b"\x00\x20" + row[0] + be(height) + be(row[2]) + be(0) for row in events])
    if layout == "two-tier":
        db.executemany("INSERT INTO event_subjects_recent(subject, height, position, event_index) VALUES (?, ?, ?, 0)",
                       [row[:3] for row in events])
        recent_rows += count
        if recent_rows >= MERGE_ROWS:
            for statement in (
                    "INSERT INTO transaction_hashes SELECT * FROM transaction_hashes_recent ORDER BY hash",
                    "DELETE FROM transaction_hashes_recent",
                    "INSERT INTO event_subjects SELECT * FROM event_subjects_recent ORDER BY subject, height, position, event_index",
                    "DELETE FROM event_subjects_recent"):
                db.execute(statement)
            recent_rows = 0
    db.execute("COMMIT")


def check_run_indexes(db, layout):
    """The model is only worth its timings if it keeps every key: each index holds one key per
    row of its table, in order within each run, and no row of a run that is not listed."""
    first_column, rest_column = ("key", "x''") if layout == "runs" else ("first", "keys")
    for table, indexed in (("transaction_hash_runs", "transactions"), ("event_subject_runs", "events")):
        rows = db.execute(f"SELECT COUNT(*) FROM {indexed}").fetchone()[0]
        listed = {run for (run,) in db.execute("SELECT run FROM index_runs WHERE index_table = ?", (table,))}
        keys, last = 0, {}
        for run, first, blob in db.execute(
                f"SELECT run, {first_column}, {rest_column} FROM {table} ORDER BY run, {first_column}"):
            chunk = [first] if layout == "runs" else decode_chunk(first, blob)
            if run not in listed or any(a >= b for a, b in zip([last.get(run, b"")] + chunk, chunk)):
                sys.exit(f"{table}: run {run} is not listed or its keys are out of order")
            last[run] = chunk[-1]
            keys += len(chunk)
        if keys != rows:
            sys.exit(f"{table} holds {keys} keys for {rows} rows")


def main():
    if len(sys.argv) < 4 or sys.argv[1] not in LAYOUTS:
        sys.exit(__doc__)
    layout, preload, blocks = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    if preload < 0 or blocks < 1:
        sys.exit("PRELOAD must be 0 or more and BLOCKS 1 or more")
    import sqlite3
    directory = sys.argv[4] if len(sys.argv) > 4 else "."
    path = os.path.join(directory, f"layout-model-{layout}-{preload}.sqlite")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    db = sqlite3.connect(path, isolation_level=None)
    # The page size must be set before the first table exists; PAGE_SIZE compares sizes.
    db.execute(f"PRAGMA page_size={int(os.environ.get('PAGE_SIZE', '4096'))}")
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA cache_size=-65536")
    db.executescript(LAYOUTS[layout])
    db.execute("PRAGMA synchronous=OFF")
    height = 1
    while height <= preload // 10_000:
        write_block(db, layout, height, 10_000)
        height += 1
    db.execute("PRAGMA synchronous=FULL")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    walls, cpus = [], []
    for _ in range(blocks):
        wall, cpu = time.perf_counter(), time.process_time()
        write_block(db, layout, height, 1_000)
        height += 1
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    if layout in ("runs", "chunks"):
        check_run_indexes(db, layout)
    db.close()
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    walls.sort()
    print(f"layout={layout} preload={preload} blocks={blocks} page_size={os.environ.get('PAGE_SIZE', '4096')} "
          f"cpu_ms_per_block={sum(cpus) / len(cpus) * 1000:.1f} wall_ms_median={walls[len(walls) // 2] * 1000:.1f} "
          f"wall_ms_max={walls[-1] * 1000:.1f}")


if __name__ == "__main__":
    main()
