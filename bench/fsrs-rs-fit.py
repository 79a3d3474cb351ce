#!/usr/bin/env python3
"""Times fsrs-rs-python's compute_parameters (fsrs-rs 6.6.1) on training items written by
`sapro dev fit --items-out`, and prints {"items", "seconds" (median), "logLoss"} as JSON.

    bench/fsrs-rs-fit.py ITEMS.json [--repeat 5]
"""
import argparse
import json
import time

from fsrs_rs_python import DEFAULT_PARAMETERS, FSRS, FSRSItem, FSRSReview, TrainingConfig

ap = argparse.ArgumentParser()
ap.add_argument("items")
ap.add_argument("--repeat", type=int, default=5)
a = ap.parse_args()
raw = json.load(open(a.items))
items = [FSRSItem([FSRSReview(r, d) for r, d in reviews]) for _, reviews in raw]
cards = [card for card, _ in raw]
times = []
for _ in range(a.repeat):
    t0 = time.perf_counter()
    params = FSRS(DEFAULT_PARAMETERS).compute_parameters(items, card_ids=cards, training_config=TrainingConfig())
    times.append(time.perf_counter() - t0)
times.sort()
loss = FSRS(params).evaluate(items).log_loss
print(json.dumps({"items": len(items), "seconds": times[len(times) // 2], "logLoss": loss}))
