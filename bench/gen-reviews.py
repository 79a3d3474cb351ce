#!/usr/bin/env python3
"""Writes a seeded review log for `sapro srs replay`: N lines over C cards, in time order.

Each card starts on a random day of the first year and is reviewed at roughly its growing
interval, sometimes early or late, with ratings biased to Good; all cards' reviews are merged
by time. Usage: gen-reviews.py LINES CARDS SEED > file.jsonl
"""
import heapq
import random
import sys
from datetime import datetime, timedelta, timezone


def main() -> None:
    lines, cards, seed = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    rng = random.Random(seed)
    epoch = datetime(2023, 1, 1, tzinfo=timezone.utc).timestamp()
    per_card = [lines // cards + (1 if i < lines % cards else 0) for i in range(cards)]
    heap = []  # (time, card, reviews left, interval in seconds)
    for c in range(cards):
        t = int(epoch + rng.randint(0, 364) * 86400 + rng.randint(7 * 3600, 22 * 3600))
        heap.append((t, c, per_card[c], 60))
    heapq.heapify(heap)
    out = []
    write = sys.stdout.write
    while heap:
        t, c, left, interval = heapq.heappop(heap)
        rating = rng.choices((1, 2, 3, 4), weights=(12, 13, 60, 15))[0]
        stamp = datetime.fromtimestamp(t, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        out.append(f'{{"card":"c{c}","time":"{stamp}","rating":{rating}}}\n')
        if len(out) >= 65536:
            write("".join(out))
            out.clear()
        if left > 1:
            interval = 600 if rating == 1 else min(int(interval * (1.2 + rating * 0.4)), 40 * 86400)
            roll = rng.random()
            gap = interval * (rng.uniform(0.5, 0.9) if roll < 0.1 else rng.uniform(1.0, 1.5) if roll < 0.9 else rng.uniform(2, 4))
            heapq.heappush(heap, (t + max(1, int(gap)), c, left - 1, interval))
    write("".join(out))


if __name__ == "__main__":
    main()
