#!/usr/bin/env python3
"""The reliability suite (run by bench/reliability, which builds first).

  kill     kill -9 at random moments of scripted drill, quiz and exam sessions; after each, the
           store loads and holds every review the REPL acknowledged ("Saved.", or an exam's score)
  writers  two REPLs drilling one data directory at once, and two `dev append` writers
  fuzz     random REPL lines into the binary: exit status 0 or 1 (a piped session exits 1 when a
           command in it failed), no crash
  mutate   mutated documents, banks and progress files: no crash, a clear message, and nothing
           that did not parse is overwritten
  disk     a full disk (a small tmpfs) and a file-size limit while saving: a clear message, the
           previous state intact
  undo     an undo in one REPL while another process answers: refused, the other's answer kept
  damage   a byte changed in the journal under the snapshot: nothing more saved, report refuses,
           both name the journal, the file untouched
  readers  mutated quiz files for `quiz take`, mutated replay input with extreme options: no crash
  special  a directory, a FIFO, a symlink loop where files belong; read-only files as `nobody`

Usage: reliability.py SAPRO OUTDIR [--only NAME] [--kills N] [--fuzz-lines N] [--seed S]
Prints one line per check and a summary; exit status 1 if anything failed.
"""
import argparse
import hashlib
import json
import os
import stat
import random
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

CRASH = re.compile(r"Fatal error|Crash|backtrace|Segmentation|Illegal instruction|Aborted|panic|Current stack trace", re.I)
FAILURES = []
FIGURES = {}


def fail(message):
    FAILURES.append(message)
    print("  FAIL: " + message, flush=True)


def md5(path):
    return hashlib.md5(Path(path).read_bytes()).hexdigest()


class Sapro:
    def __init__(self, binary, home):
        self.binary = binary
        self.env = dict(os.environ, HOME=str(home), NO_COLOR="1", SAPRO_HOME=str(home / "default-data"))
        self.env.pop("XDG_DATA_HOME", None)

    def run(self, args, data=None, stdin="", timeout=600, cwd=None):
        cmd = [self.binary] + (["--data-dir", str(data)] if data else []) + args
        p = subprocess.run(cmd, input=stdin.encode() if isinstance(stdin, str) else stdin, capture_output=True,
                           env=self.env, timeout=timeout, cwd=cwd)
        return p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace")

    def reviews(self, data):
        """The reviews the store holds (one CSV row each); fails the check if it does not load."""
        code, out, err = self.run(["report", "--format", "csv"], data)
        if code != 0:
            return None, err.strip()
        return out.count("\n") - 1, ""

    def answers(self, data):
        code, out, err = self.run(["report", "--format", "csv"], data)
        if code != 0:
            return None
        return [row.split(",")[6] for row in out.splitlines()[1:]]


# A piped session exits 1 when any command in it failed: the scripts below give more answer lines
# than a session asks for, and once it ends the rest are unknown commands. A crash is anything else.
PIPED_OK = (0, 1)


def script(mode, seed):
    """Piped input for one session: a cycle of lines that every question kind accepts sooner or
    later ('a' or 'a b c' for choices, '3' as a number or a self-rating, '1 2 3 …' for an order),
    with a 'skip' (an exam's 'next') now and then, and 'quit' at the end."""
    cycle = ["a", "3", "a b", "a b c", "1 2", "1 2 3", "1 2 3 4", "1 2 3 4 5", "1 2 3 4 5 6", "1 2 3 4 5 6 7"]
    lines = []
    for i in range(50):
        lines += cycle
        if i % 2:
            lines.append("next" if mode == "exam" else "skip")
    answers = "\n".join(lines) + "\n"
    if mode == "drill":
        return "drill --limit 20\n" + answers + "quit\n"
    if mode == "quiz":
        return f"quiz 20 --seed {seed}\n" + answers + "quit\n"
    # Every exam item is a choice question now, so the cycle answers them all and 'submit' needs no
    # confirmation; should one be left, the 'quit' after it declines and the exam is saved instead.
    return f"exam container-networking-short --questions 12 --seed {seed}\n" + answers + "submit\nquit\n"


def acknowledged(mode, output):
    if mode in ("drill", "quiz"):
        return sum(1 for line in output.splitlines() if line.startswith("Saved."))
    # An exam records its reviews when it is submitted; the score is printed after they are saved.
    # Unanswered questions are scored but make no review.
    # The score line says how many were left unanswered, so a kill while the list of wrong answers
    # is printed does not change the count.
    # ("scored correct" since exams may hold unscored items; a 12-question sitting has none.)
    m = re.search(r"Score \d+ / 1000 .*; (\d+) of (\d+) (?:scored )?correct(?:, (\d+) unanswered)?", output)
    return int(m.group(2)) - int(m.group(3) or 0) if m else 0


def run_and_kill(sapro, data, stdin, delay):
    p = subprocess.Popen([sapro.binary, "--data-dir", str(data)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, env=sapro.env)
    chunks = []
    reader = threading.Thread(target=lambda: chunks.append(p.stdout.read()))
    reader.start()
    try:
        p.stdin.write(stdin.encode())
        p.stdin.close()
    except BrokenPipeError:
        pass
    time.sleep(delay)
    killed = p.poll() is None
    if killed:
        p.send_signal(signal.SIGKILL)
    p.wait()
    reader.join()
    p.stderr.close()
    return killed, b"".join(chunks).decode(errors="replace")


def exam_files_parse(data):
    for f in (data / "exams").glob("*.json") if (data / "exams").exists() else []:
        try:
            json.loads(f.read_text())
        except Exception as e:  # noqa: BLE001
            return f"{f.name}: {e}"
    return None


def check_kill(sapro, work, kills, rng):
    print(f"kill -9 at {kills} random moments of drill, quiz and exam sessions", flush=True)
    data = work / "kill-data"
    shutil.rmtree(data, ignore_errors=True)
    sapro.run(["dev", "simulate-history", "--cards", "400", "--reviews", "2000", "--days", "60", "--seed", "3"], data)
    # How long each session takes uninterrupted, to spread the kills over its whole run.
    durations = {}
    for mode in ("drill", "quiz", "exam"):
        start = time.monotonic()
        code, out, err = sapro.run([], data, script(mode, 1))
        durations[mode] = time.monotonic() - start
        if code not in PIPED_OK or acknowledged(mode, out) == 0:
            fail(f"a whole {mode} session did not run cleanly (status {code}): {err[-300:]}")
    killed_total = acked_total = 0
    for i in range(kills):
        mode = ("drill", "quiz", "exam")[i % 3]
        before, err = sapro.reviews(data)
        if before is None:
            fail(f"kill {i}: the store does not load: {err}")
            return
        delay = rng.uniform(0, durations[mode] * 1.1)
        killed, output = run_and_kill(sapro, data, script(mode, rng.randrange(1, 10**6)), delay)
        killed_total += killed
        acked = acknowledged(mode, output)
        acked_total += acked
        after, err = sapro.reviews(data)
        if after is None:
            fail(f"kill {i} ({mode}, {delay * 1000:.0f} ms): the store does not load afterwards: {err}")
            return
        if after < before + acked:
            fail(f"kill {i} ({mode}, {delay * 1000:.0f} ms): {acked} acknowledged but only {after - before} reviews kept")
        if after - before > 20:  # a session asks at most 20 questions: more would be answers counted twice
            fail(f"kill {i} ({mode}, {delay * 1000:.0f} ms): {after - before} reviews from one session of at most 20 questions")
        bad = exam_files_parse(data)
        if bad:
            fail(f"kill {i} ({mode}): exam file does not parse: {bad}")
    lost = sum(1 for f in FAILURES if f.startswith("kill "))
    print(f"  {kills} runs, {killed_total} killed mid-run, {acked_total} acknowledged reviews checked, {lost} with losses", flush=True)
    FIGURES["kill"] = dict(runs=kills, killed=killed_total, acknowledged=acked_total, lost=lost)


def check_writers(sapro, work, rounds):
    print(f"two REPLs drilling one data directory at once ({rounds} rounds), and two append writers", flush=True)
    data = work / "writers-data"
    shutil.rmtree(data, ignore_errors=True)
    sapro.run(["dev", "simulate-history", "--cards", "3000", "--reviews", "5000", "--days", "60", "--seed", "4"], data)
    acked_total = 0
    lost = 0
    for r in range(rounds):
        before, _ = sapro.reviews(data)
        procs = [subprocess.Popen([sapro.binary, "--data-dir", str(data)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, env=sapro.env) for _ in range(2)]
        outs = [p.communicate(script("drill" if r % 2 == 0 else "quiz", r * 2 + k).encode(), timeout=300) for k, p in enumerate(procs)]
        acked = sum(acknowledged("drill", o.decode(errors="replace")) for o, _ in outs)
        acked_total += acked
        for p, (_, e) in zip(procs, outs):
            if p.returncode not in PIPED_OK or CRASH.search(e.decode(errors="replace")):
                fail(f"writers round {r}: status {p.returncode}: {e.decode(errors='replace')[-300:]}")
        after, err = sapro.reviews(data)
        if after is None:
            fail(f"writers round {r}: the store does not load: {err}")
            return
        if after != before + acked:
            lost += 1
            fail(f"writers round {r}: {acked} answers acknowledged, {after - before} kept")
    # Two raw writers, each acknowledging every durable review by name.
    count = 2000
    procs = [subprocess.Popen([sapro.binary, "dev", "append", "--data-dir", str(data), "--count", str(count), "--tag", tag],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=sapro.env) for tag in ("A", "B")]
    outs = [p.communicate(timeout=600) for p in procs]
    acks = [line for o, _ in outs for line in o.decode().splitlines() if line.startswith("ack ")]
    kept = set(sapro.answers(data) or [])
    missing = [a for a in acks if a[4:] not in kept]
    if len(acks) != 2 * count or missing:
        fail(f"append writers: {len(acks)} acknowledged of {2 * count}, {len(missing)} missing")
    seqs = [json.loads(line).get("seq", json.loads(line).get("s")) for line in (data / "journal.jsonl").read_text().splitlines()[1:]]
    if seqs != sorted(seqs) or len(set(seqs)) != len(seqs):
        fail("append writers: journal sequence numbers are not strictly increasing")
    print(f"  {rounds} rounds of two REPLs: {acked_total} answers acknowledged, {lost} rounds with losses; "
          f"two writers: {len(acks)} acknowledged, {len(missing)} missing", flush=True)
    FIGURES["writers"] = dict(rounds=rounds, acknowledged=acked_total + len(acks), lost=lost + len(missing))


WORDS = ["drill", "quiz", "exam", "stats", "report", "undo", "topics", "read", "search", "calc", "content", "settings",
         "set", "srs", "help", "?", "max-pods", "ecs-tasks", "subnet", "check", "history", "generate", "take", "replay",
         "--limit", "--seed", "--format", "--topic", "--count", "--questions", "--minutes", "--since", "--out",
         "--trunking", "--custom-networking", "--prefix-delegation", "--data-dir", "--content", "--no-subtopics",
         "m5.large", "t3.micro", "10.0.0.0/24", "0.0.0.0/0", "md", "json", "csv", "html", "gift", "a", "b", "3", "-1",
         "0", "99999999999999999999", "1e308", "NaN", "host-mode", "awsvpc", "next", "prev", "goto", "submit", "yes",
         "skip", "hint", "explain", "flag", "rate", "'", '"', "\\", "--", "-", "=", "é", "日本", "🙂", "\u202e", "%s%n",
         "${HOME}", "$(reboot)", "`id`", "*", "~", "../..", "/dev/null", "scheduler", "fsrs", "sm2", "desired-retention",
         "0.95", "new-cards-per-day", "learning-steps", "1m,10m", "dev", "simulate-history", "append"]


def fuzz_line(rng):
    roll = rng.random()
    if roll < 0.55:
        return " ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 6)))
    if roll < 0.75:
        line = rng.choice(WORDS[:15]) + " " + "".join(chr(rng.randint(32, 126)) for _ in range(rng.randint(0, 60)))
        return line
    if roll < 0.9:
        return "".join(chr(rng.choice([rng.randint(1, 0x7f), rng.randint(0x80, 0x2fff), rng.randint(0xe000, 0x10ffff)]))
                       for _ in range(rng.randint(0, 40))).replace("\n", " ")
    if roll < 0.97:
        return rng.choice(WORDS) + " " + "x" * rng.choice([100, 2000, 10000, 100000])
    return rng.choice(["quit", "exit"])


def check_fuzz(sapro, work, total, rng):
    print(f"fuzzing: {total} random REPL lines", flush=True)
    cwd = work / "fuzz-cwd"
    shutil.rmtree(cwd, ignore_errors=True)
    cwd.mkdir(parents=True)
    data = work / "fuzz-data"
    shutil.rmtree(data, ignore_errors=True)
    sapro.run(["dev", "simulate-history", "--cards", "300", "--reviews", "1000", "--days", "30", "--seed", "5"], data)
    sent = 0
    batches = 0
    # Exports to a device are written in place: an atomic rename would swap /dev/null for a file.
    devices = ["report --out /dev/null", "report --format html --out /dev/null",
               "quiz generate --count 3 --format json --out /dev/null", "quiz generate --count 2 --format md --out /dev/null"]
    blocked = {"dev"}  # not for users; `dev simulate-history` with random numbers only takes time
    while sent < total:
        n = min(2000, total - sent)
        lines = []
        if batches == 0:
            lines += devices
        while len(lines) < n:
            line = fuzz_line(rng)
            if line.split(" ")[0] in blocked or line.strip() in ("quit", "exit"):
                continue
            lines.append(line)
        raw = ("\n".join(lines) + "\n").encode("utf-8", errors="surrogateescape")
        if batches % 5 == 0:  # some raw bytes that are not UTF-8
            raw += bytes(rng.randrange(256) for _ in range(200)).replace(b"\n", b" ") + b"\n"
        batches += 1
        try:
            code, out, err = sapro.run([], data, raw, timeout=600, cwd=cwd)
        except subprocess.TimeoutExpired:
            fail(f"fuzz batch {batches}: no exit within 600 s")
            break
        if code not in PIPED_OK or CRASH.search(err):
            (work / f"fuzz-failure-{batches}.txt").write_bytes(raw)
            fail(f"fuzz batch {batches}: status {code}: {err[-400:]} (input kept in fuzz-failure-{batches}.txt)")
        if not stat.S_ISCHR(os.stat("/dev/null").st_mode):
            fail(f"fuzz batch {batches}: /dev/null is no longer a device (an export replaced it)")
            break
        sent += len(lines)
        # Settings the fuzz changed may make later batches slow; start each batch from defaults.
        (data / "settings.json").unlink(missing_ok=True)
    reviews, err = sapro.reviews(data)
    if reviews is None:
        fail(f"fuzz: the store does not load afterwards: {err}")
    print(f"  {sent} lines in {batches} runs, {sum(1 for f in FAILURES if f.startswith('fuzz'))} failures", flush=True)
    FIGURES["fuzz"] = dict(lines=sent, failures=sum(1 for f in FAILURES if f.startswith("fuzz")))


def mutate(data: bytes, rng) -> bytes:
    b = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(8)
        pos = rng.randrange(len(b) + 1)
        if op == 0 and b:
            b[min(pos, len(b) - 1)] = rng.randrange(256)
        elif op == 1:
            del b[pos:pos + rng.randint(1, 400)]
        elif op == 2:
            b[pos:pos] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 20)))
        elif op == 3:
            b = b[:pos]
        elif op == 4:
            b[pos:pos] = rng.choice([b"\n", b"|", b"```", b"## ", b"**Quote:**", b"{", b"}", b"\"", b"\xff\xfe", b"\x00", b"\n- ", b",,,,"])
        elif op == 5 and len(b) > 10:
            a, c = sorted(rng.randrange(len(b)) for _ in range(2))
            b[pos:pos] = b[a:c]
        elif op == 6:
            lines = bytes(b).split(b"\n")
            rng.shuffle(lines)
            b = bytearray(b"\n".join(lines))
        else:
            b = bytearray()
    return bytes(b)


def check_mutate(sapro, work, root, rounds, rng):
    print(f"mutated documents, banks and progress files ({rounds} each)", flush=True)
    tried = 0
    docs = sorted((root / "Content").rglob("*.md")) + sorted((root / "Content").rglob("*.csv"))
    banks = sorted((root / "Quizzes").rglob("*"))
    banks = [b for b in banks if b.is_file()]
    for kind, files, option in (("document", docs, "content"), ("bank", banks, "quizzes")):
        for i in range(rounds):
            target = work / f"mutate-{kind}"
            shutil.rmtree(target, ignore_errors=True)
            source = root / ("Content" if kind == "document" else "Quizzes")
            shutil.copytree(source, target)
            victim = rng.choice(files)
            path = target / victim.relative_to(source)
            path.write_bytes(mutate(victim.read_bytes(), rng))
            before = md5(path)
            args = ["content", "check", str(target)] if kind == "document" else ["content", "check", "--quizzes", str(target)]
            code, out, err = sapro.run(args, timeout=120)
            tried += 1
            if code not in (0, 1) or CRASH.search(err):
                keep = work / f"mutate-failure-{kind}-{i}{path.suffix}"
                shutil.copy(path, keep)
                fail(f"mutated {kind} {victim.name}: status {code}: {err[-300:]} (kept as {keep.name})")
            elif code == 1 and not re.search(re.escape(str(target)) + r"/[^:]+(:\d+)?: ", out + err):
                fail(f"mutated {kind} {victim.name}: status 1 without a file:line message: {(out + err).strip()[:300]}")
            if md5(path) != before:
                fail(f"mutated {kind} {victim.name}: the file was changed")
            # The REPL also starts with the mutated content (documents are loaded at start-up).
            if kind == "document" and i % 4 == 0:
                code, out, err = sapro.run(["--content", str(target), "topics"], timeout=120)
                if code not in (0, 1) or CRASH.search(err):
                    fail(f"mutated {kind} {victim.name}: 'topics' with it: status {code}: {err[-300:]}")
    # Progress files: the journal, the snapshot, settings and an exam file.
    base = work / "mutate-base"
    shutil.rmtree(base, ignore_errors=True)
    sapro.run(["dev", "simulate-history", "--cards", "300", "--reviews", "1200", "--days", "40", "--seed", "6"], base)
    sapro.run(["set", "new-cards-per-day", "25"], base)
    sapro.run(["exam", "container-networking-short", "--questions", "5", "--seed", "2"], base, "a\nquit\n")
    sapro.run(["dev", "append", "--count", "30", "--tag", "m"], base)  # a journal tail after the snapshot
    targets = ["journal.jsonl", "snapshot.json", "settings.json"] + [str(p.relative_to(base)) for p in (base / "exams").glob("*.json")]
    refused = repaired = 0
    for i in range(rounds * 2):
        data = work / "mutate-progress"
        shutil.rmtree(data, ignore_errors=True)
        shutil.copytree(base, data)
        name = rng.choice(targets)
        path = data / name
        original = path.read_bytes()
        if name == "journal.jsonl" and rng.random() < 0.5:
            mutated = original[:rng.randrange(len(original))]  # a torn tail, as a crash leaves it
        else:
            mutated = mutate(original, rng)
        path.write_bytes(mutated)
        before = md5(path)
        command = rng.choice([["stats"], ["report"], ["drill", "--limit", "2"], ["exam"], ["undo"], ["settings"]])
        code, out, err = sapro.run(command, data, "a\n3\na\n3\nquit\n", timeout=120)
        tried += 1
        if CRASH.search(err) or code not in (0, 1):
            fail(f"mutated {name}, '{' '.join(command)}': status {code}: {err[-300:]}")
            continue
        changed = path.exists() and md5(path) != before
        torn = list(data.glob("journal.torn-*"))
        if name == "journal.jsonl" and changed and not mutated:
            fail(f"mutated journal (emptied), '{' '.join(command)}': the empty journal was written to")
        elif name == "journal.jsonl" and changed:
            # The only change allowed: a torn last line moved aside whole and cut off.
            now = path.read_bytes()
            aside = b"".join(t.read_bytes() for t in torn)
            # Allowed: answers appended to a journal that parsed, or a torn last line moved aside
            # whole (and answers appended after the repair).
            kept = mutated[:len(mutated) - len(aside)]
            appended = now.startswith(mutated)
            torn_repair = bool(aside) and mutated.endswith(aside) and now.startswith(kept) and (not kept or kept.endswith(b"\n"))
            if not (appended or torn_repair):
                keep = work / f"mutate-failure-journal-{i}"
                shutil.rmtree(keep, ignore_errors=True)
                shutil.copytree(data, keep)
                (keep / "journal.mutated").write_bytes(mutated)
                fail(f"mutated journal, '{' '.join(command)}': the journal was changed beyond moving a torn line aside (kept in {keep.name})")
            else:
                repaired += 1
        elif name == "snapshot.json" and (data / "snapshot.json.unreadable").exists():
            # An unreadable snapshot is renamed, kept byte for byte, and rebuilt from the journal.
            if (data / "snapshot.json.unreadable").read_bytes() != mutated:
                fail(f"mutated {name}, '{' '.join(command)}': the copy kept aside is not the damaged file")
            elif "rebuilt from the journal" not in err:
                fail(f"mutated {name}, '{' '.join(command)}': rebuilt without saying so")
            else:
                repaired += 1
        elif changed and name == "snapshot.json":
            fail(f"mutated {name}, '{' '.join(command)}': the file was overwritten")
        elif changed:
            # Settings and exams that parsed may be saved again; ones refused must be left alone.
            try:
                json.loads(mutated)
                parsed = not re.search(r"cannot be read|error", err)
            except ValueError:
                parsed = False
            if not parsed:
                fail(f"mutated {name}, '{' '.join(command)}': did not parse but was overwritten")
        if code == 1 or "error" in err.lower():
            refused += 1
            # A fresh process has saved nothing of its own to undo: that refusal is about undo,
            # not about the file (whose damage, if any, was repaired or said earlier).
            if "nothing of yours to undo" in err or err.strip() == "error: nothing to undo":
                continue
            if not re.search(re.escape(name.split("/")[-1]) + "|" + re.escape(str(data)), err) and name != "settings.json" and "exams" not in name:
                fail(f"mutated {name}, '{' '.join(command)}': the message does not name the file: {err.strip()[:200]}")
    print(f"  {tried} mutated inputs tried; {refused} refused with a message, {repaired} torn journal tails repaired; "
          f"{sum(1 for f in FAILURES if f.startswith('mutated'))} failures", flush=True)
    FIGURES["mutate"] = dict(tried=tried, failures=sum(1 for f in FAILURES if f.startswith("mutated")))


def sessions_until_refused(sapro, data, message, prefix=""):
    """Drills and quizzes until saving fails with `message` (at most 8 sessions): the answers
    acknowledged, the last exit status and standard error."""
    acked, code, err = 0, 0, ""
    for k in range(8):
        mode = ("drill", "quiz")[k % 2]
        p = subprocess.run(["bash", "-c", f"{prefix}exec {sapro.binary} --data-dir {data}"], input=script(mode, k).encode(),
                           capture_output=True, env=sapro.env)
        code, err = p.returncode, p.stderr.decode(errors="replace")
        acked += acknowledged(mode, p.stdout.decode(errors="replace"))
        if code not in PIPED_OK or re.search(message, err):
            break
    return acked, code, err


def check_disk(sapro, work):
    print("full disk while saving: a 4 MiB tmpfs filled up, and a file-size limit", flush=True)
    checks = 0
    base = work / "disk-base"
    shutil.rmtree(base, ignore_errors=True)
    sapro.run(["dev", "simulate-history", "--cards", "300", "--reviews", "400", "--days", "20", "--seed", "7"], base)
    mount = work / "disk-tmpfs"
    mount.mkdir(exist_ok=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)], capture_output=True).returncode == 0
    if not mounted:
        print("  (cannot mount a tmpfs here; only the file-size limit is tried)")
    try:
        for leave in ([0, 200, 700, 3000, 20000] if mounted else []):
            data = mount / "data"
            shutil.rmtree(data, ignore_errors=True)
            for f in mount.glob("filler*"):
                f.unlink()
            shutil.copytree(base, data)
            before, _ = sapro.reviews(data)
            journal = (data / "journal.jsonl").read_bytes()
            # Fill the disk, leaving `leave` bytes.
            st = os.statvfs(mount)
            free = st.f_bavail * st.f_frsize
            with open(mount / "filler", "wb") as f:
                f.write(b"\0" * max(0, free - leave))
            acked, code, err = sessions_until_refused(sapro, data, r"No space left")
            checks += 1
            if code not in PIPED_OK or CRASH.search(err):
                fail(f"full disk ({leave} bytes left): status {code}: {err[-300:]}")
            elif not re.search(r"No space left", err):
                fail(f"full disk ({leave} bytes left): no clear message after 8 sessions: {err.strip()[-300:]}")
            (mount / "filler").unlink()
            after, err2 = sapro.reviews(data)
            if after is None:
                fail(f"full disk ({leave} bytes left): the store does not load afterwards: {err2}")
            elif after < before + acked:
                fail(f"full disk ({leave} bytes left): {acked} acknowledged, {after - before} kept")
            json.loads((data / "snapshot.json").read_text())
            if not (data / "journal.jsonl").read_bytes().startswith(journal):
                fail(f"full disk ({leave} bytes left): the journal was rewritten")
            print(f"  {leave} bytes left: {acked} answers saved before the disk filled; message: "
                  f"{(re.findall(r'error: cannot .*', err) or ['(none)'])[0][:110]}", flush=True)
    finally:
        if mounted:
            subprocess.run(["umount", str(mount)])
    # A file-size limit (ulimit -f): writes past it fail with EFBIG instead of killing the process.
    for limit_kb in (1, 50):
        data = work / "disk-ulimit"
        shutil.rmtree(data, ignore_errors=True)
        shutil.copytree(base, data)
        before, _ = sapro.reviews(data)
        size = (data / "journal.jsonl").stat().st_size
        limit_blocks = (size // 1024) + limit_kb  # in 1 KiB blocks
        acked, code, err = sessions_until_refused(sapro, data, r"File too large", prefix=f"ulimit -f {limit_blocks}; ")
        checks += 1
        if code not in PIPED_OK or CRASH.search(err):
            fail(f"file-size limit (+{limit_kb} KiB): status {code} (signal {-code if code < 0 else 0}): {err[-300:]}")
        elif not re.search(r"File too large", err):
            fail(f"file-size limit (+{limit_kb} KiB): no clear message after 8 sessions: {err.strip()[-300:]}")
        after, err2 = sapro.reviews(data)
        if after is None:
            fail(f"file-size limit (+{limit_kb} KiB): the store does not load afterwards: {err2}")
        elif after < before + acked:
            fail(f"file-size limit (+{limit_kb} KiB): {acked} acknowledged, {after - before} kept")
        print(f"  file-size limit +{limit_kb} KiB: {acked} answers saved; message: "
              f"{(re.findall(r'error: cannot .*', err) or ['(none)'])[0][:110]}", flush=True)
    FIGURES["disk"] = dict(checks=checks, failures=sum(1 for f in FAILURES if f.startswith(("full disk", "file-size"))))



def single_choice_seed(sapro):
    """A seed whose one-question quiz is single choice, so that `a` answers it."""
    for seed in range(1, 61):
        code, out, err = sapro.run(["quiz", "generate", "--count", "1", "--seed", str(seed), "--format", "json"])
        try:
            if json.loads(out)["questions"][0]["kind"] == "single-choice":
                return seed
        except (ValueError, KeyError, IndexError):
            continue
    return 2


def check_undo(sapro, work, rounds):
    """Process A opens a REPL and waits; B answers a quiz question and sees Saved.; then A types
    undo. A must refuse (it saved nothing), and B's answer must stay."""
    print(f"undo across processes ({rounds} rounds)", flush=True)
    kept_all = True
    seed = str(single_choice_seed(sapro))
    for i in range(rounds):
        data = work / f"undo-{i}"
        shutil.rmtree(data, ignore_errors=True)
        cmd = [sapro.binary, "--data-dir", str(data)]
        a = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=sapro.env)
        time.sleep(0.3)
        code, out, err = sapro.run(["quiz", "1", "--seed", seed], data, stdin="a\n")
        if "Saved." not in out:
            fail(f"undo round {i}: B's answer was not saved: {err.strip()[:200]}")
            kept_all = False
        out_a, err_a = a.communicate(b"undo\nquit\n", timeout=60)
        if b"nothing of yours to undo" not in err_a:
            fail(f"undo round {i}: A's undo did not refuse: {err_a.decode(errors='replace')[:200]}")
        n, why = sapro.reviews(data)
        if n != 1:
            fail(f"undo round {i}: B's answer is gone ({n} reviews; {why})")
            kept_all = False
    FIGURES["undo"] = {"rounds": rounds, "answers_kept": kept_all}
    print(f"  {rounds} rounds, every other process's answer kept: {kept_all}", flush=True)


def check_journal_damage(sapro, work, rounds, rng):
    """A byte changed in the part of the journal the snapshot covers: the REPL saves nothing more,
    report refuses too, both name journal.jsonl, and the journal is left as it was."""
    print(f"journal damage before the snapshot's offset ({rounds} cases)", flush=True)
    base = work / "damage-base"
    shutil.rmtree(base, ignore_errors=True)
    sapro.run(["dev", "simulate-history", "--cards", "200", "--reviews", "6000", "--days", "200", "--seed", "3"], base)
    sapro.run([], base, stdin="quit\n")  # a snapshot with checksums
    journal = (base / "journal.jsonl").read_bytes()
    header = journal.index(b"\n") + 1
    seed = single_choice_seed(sapro)
    caught = 0
    for i in range(rounds):
        data = work / "damage"
        shutil.rmtree(data, ignore_errors=True)
        shutil.copytree(base, data)
        b = bytearray(journal)
        pos = rng.randrange(header, len(b) - 1)
        while b[pos] == 0x0A:
            pos = rng.randrange(header, len(b) - 1)
        b[pos] = rng.choice([c for c in b"0123456789abcxyz{}[],:\"" if c != b[pos]])
        (data / "journal.jsonl").write_bytes(bytes(b))
        before = md5(data / "journal.jsonl")
        code, out, err = sapro.run([], data, stdin=f"quiz 1 --seed {seed}\na\nquit\n")
        if CRASH.search(out + err):
            fail(f"damage {i}: crash: {err[:200]}")
            continue
        rcode, rout, rerr = sapro.run(["report"], data)
        if "Saved." in out:
            fail(f"damage {i}: an answer was saved to a changed journal (byte {pos})")
        elif "journal.jsonl" not in err or rcode == 0 or "journal.jsonl" not in rerr:
            fail(f"damage {i}: byte {pos}: REPL {err.strip()[:160]!r}; report exit {rcode} {rerr.strip()[:160]!r}")
        elif md5(data / "journal.jsonl") != before:
            fail(f"damage {i}: the journal was changed")
        else:
            caught += 1
    FIGURES["journal_damage"] = {"cases": rounds, "refused_by_both": caught}
    print(f"  {caught} of {rounds} refused by the REPL and by report, journal untouched", flush=True)


def check_readers(sapro, work, rounds, rng):
    """Mutated quiz files for `quiz take` and mutated replay input with extreme options: a result
    or a message, never a crash."""
    print(f"quiz-file and replay fuzzing ({rounds} each)", flush=True)
    code, quiz, err = sapro.run(["quiz", "generate", "--count", "8", "--seed", "4", "--format", "json"])
    replay = "".join(f'{{"card": "c{i % 5}", "time": "2024-03-{1 + i // 4:02d}T10:00:00Z", "rating": {1 + i % 4}}}\n' for i in range(40))
    options = [[], ["--desired-retention", "0.01", "--maximum-interval", "36500", "--learning-steps", "none"],
               ["--learning-steps", "365d", "--relearning-steps", "365d"], ["--desired-retention", "1", "--maximum-interval", "1"],
               ["--desired-retention", "1e-300"], ["--maximum-interval", "1000000000"], ["--learning-steps", "99999999d"]]
    crashes = 0
    for i in range(rounds):
        path = work / "fuzz-quiz.json"
        path.write_bytes(mutate(quiz.encode(), rng))
        c, out, err = sapro.run(["quiz", "take", str(path)], stdin="a\n" * 10, timeout=60)
        if c not in (0, 1) or CRASH.search(out + err):
            crashes += 1
            fail(f"quiz take {i}: exit {c}: {err[:200]}")
        c, out, err = sapro.run(["srs", "replay"] + rng.choice(options), stdin=mutate(replay.encode(), rng), timeout=60)
        if c not in (0, 1, 64) or CRASH.search(out + err):
            crashes += 1
            fail(f"replay {i}: exit {c}: {err[:200]}")
    FIGURES["readers"] = {"quiz_files": rounds, "replay_inputs": rounds, "crashes": crashes}
    print(f"  {rounds} quiz files, {rounds} replay inputs, {crashes} crashes", flush=True)


def check_special(sapro, work):
    """Special files in the data directory: a message naming the path, no crash; read-only files
    for a user who is not root."""
    print("special files in the data directory", flush=True)
    base = work / "special-base"
    shutil.rmtree(base, ignore_errors=True)
    sapro.run(["quiz", "1", "--seed", str(single_choice_seed(sapro))], base, stdin="a\n")
    cases = 0

    def case(name, make, expect, args=("stats",)):
        nonlocal cases
        data = work / "special"
        shutil.rmtree(data, ignore_errors=True)
        shutil.copytree(base, data, symlinks=True)
        target = make(data)
        c, out, err = sapro.run(list(args), target or data, timeout=30)
        cases += 1
        if CRASH.search(out + err) or expect not in err:
            fail(f"special {name}: exit {c}: {err.strip()[:200]!r} (expected {expect!r})")

    def snapshot_dir(d):
        (d / "snapshot.json").unlink(missing_ok=True)
        (d / "snapshot.json").mkdir()
    case("snapshot directory", snapshot_dir, "snapshot.json is a directory, not a file")

    def fifo(d):
        os.mkfifo(d / "settings.json")
    case("settings FIFO", fifo, "named pipe (FIFO), not a file")

    def loop(d):
        os.symlink(d / "b", d / "a")
        os.symlink(d / "a", d / "b")
        return d / "a"
    case("symlink loop", loop, "loop of symbolic links")

    def exams_file(d):
        (d / "exams").write_text("x")
    case("exams file", exams_file, "exams is a file, not a directory", ("exam", "history"))

    def backups_file(d):
        (d / "backups").write_text("x")
    case("backups file", backups_file, "backups is a file, not a directory", ("stats",))

    readonly = "skipped (runuser not found)"
    if shutil.which("runuser") and os.geteuid() == 0:
        data = work / "special-readonly"
        shutil.rmtree(data, ignore_errors=True)
        shutil.copytree(base, data)
        for path in [data] + list(data.rglob("*")):
            os.chmod(path, 0o555 if path.is_dir() else 0o444)
        os.chmod(work, 0o755)
        cmd = ["runuser", "-u", "nobody", "--", sapro.binary, "--data-dir", str(data)]
        p = subprocess.run(cmd, input=b"quiz 1 --seed 3\na\nquit\n", capture_output=True, env=sapro.env, timeout=60)
        err = p.stderr.decode(errors="replace")
        cases += 1
        if CRASH.search(err) or ("Permission denied" not in err and "permission" not in err.lower()):
            fail(f"read-only as nobody: exit {p.returncode}: {err.strip()[:200]!r}")
        readonly = "checked as nobody"
    FIGURES["special"] = {"cases": cases, "read_only": readonly}
    print(f"  {cases} cases; read-only files {readonly}", flush=True)

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("sapro")
    ap.add_argument("out")
    ap.add_argument("--only", action="append")
    ap.add_argument("--kills", type=int, default=200)
    ap.add_argument("--fuzz-lines", type=int, default=100_000)
    ap.add_argument("--writer-rounds", type=int, default=10)
    ap.add_argument("--mutations", type=int, default=150)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    root = Path(__file__).resolve().parent.parent
    work = Path(a.out).resolve() / "reliability"
    work.mkdir(parents=True, exist_ok=True)
    sapro = Sapro(str(Path(a.sapro).resolve()), work / "home")
    (work / "home").mkdir(exist_ok=True)
    rng = random.Random(a.seed)
    only = set(a.only or ["kill", "writers", "fuzz", "mutate", "disk", "undo", "damage", "readers", "special"])
    started = time.monotonic()
    if "kill" in only:
        check_kill(sapro, work, a.kills, rng)
    if "writers" in only:
        check_writers(sapro, work, a.writer_rounds)
    if "fuzz" in only:
        check_fuzz(sapro, work, a.fuzz_lines, rng)
    if "mutate" in only:
        check_mutate(sapro, work, root, a.mutations, rng)
    if "disk" in only:
        check_disk(sapro, work)
    if "undo" in only:
        check_undo(sapro, work, 10)
    if "damage" in only:
        check_journal_damage(sapro, work, 40, rng)
    if "readers" in only:
        check_readers(sapro, work, 150, rng)
    if "special" in only:
        check_special(sapro, work)
    (work / "figures.json").write_text(json.dumps(FIGURES, indent=2))
    print(f"\n{len(FAILURES)} failures in {time.monotonic() - started:.0f} s; figures in {work / 'figures.json'}")
    sys.exit(1 if FAILURES else 0)


if __name__ == "__main__":
    main()
