#!/usr/bin/env python3
"""The reference for `sapro srs replay`: py-fsrs 6.3.2 replays a JSON Lines review log
({"card","time","rating"} a line, cards interleaved, a card new at its first line) in one
process, without fuzzing, and prints what sapro prints: one line per review,
{"card","state","step","stability","difficulty","due"}. Usage: fsrs-replay.py FILE > out
"""
import json
import sys
from datetime import datetime

from fsrs import Card, Rating, Scheduler

NAMES = {1: "learning", 2: "review", 3: "relearning"}


def main() -> None:
    scheduler = Scheduler(enable_fuzzing=False)  # defaults: 0.9, steps 1m,10m, relearning 10m, 36500 days
    cards: dict = {}
    out = []
    write = sys.stdout.write
    with open(sys.argv[1]) as f:
        for line in f:
            if not line.strip():
                continue
            ev = json.loads(line)
            cid = ev["card"]
            t = datetime.fromisoformat(ev["time"])
            card = cards.get(cid)
            if card is None:
                card = Card(card_id=0, due=t)  # an explicit id: Card() sleeps 1 ms to make one
            card, _ = scheduler.review_card(card, Rating(ev["rating"]), review_datetime=t)
            cards[cid] = card
            step = "null" if card.step is None else str(card.step)
            out.append('{"card":%s,"state":"%s","step":%s,"stability":%r,"difficulty":%r,"due":"%s"}\n' % (
                json.dumps(cid), NAMES[int(card.state)], step, card.stability, card.difficulty,
                card.due.strftime("%Y-%m-%dT%H:%M:%SZ")))
            if len(out) >= 65536:
                write("".join(out))
                out.clear()
    write("".join(out))


if __name__ == "__main__":
    main()
