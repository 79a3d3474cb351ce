#!/usr/bin/env python3
"""What fsrs-rs (through fsrs-rs-python 0.9.3) computes on a review log, as JSON, for sapro's
optimizer tests. Training items come from the shared `fsrs_items.py` (Anki's day numbers).

    oracle.py --items-module DIR LOG [--params w0,...,w20] [--seed N] [--fit] > out.json

Prints {"reviews", "items": [[card, [[rating, delta_t], ...]], ...],
"memory": [[stability, difficulty] before each item's target, with --params or the defaults],
"evaluate": {"log_loss", "rmse_bins"} for those parameters,
"filtered": {"initialization": n, "train": n} from filter_outlier,
and with --fit: "fit": {"parameters", "log_loss", "rmse_bins", "default_log_loss", "default_rmse_bins", "seconds"}}.
"""
import argparse
import json
import sys
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("log")
    ap.add_argument("--items-module", required=True, help="folder holding fsrs_items.py")
    ap.add_argument("--params")
    ap.add_argument("--seed", type=int, default=2023)
    ap.add_argument("--fit", action="store_true")
    a = ap.parse_args()
    sys.path.insert(0, a.items_module)
    import fsrs_items
    from fsrs_rs_python import DEFAULT_PARAMETERS, FSRS, FSRSItem, FSRSReview, TrainingConfig, filter_outlier

    reviews = fsrs_items.load(a.log)
    raw = fsrs_items.items(reviews)
    items = [FSRSItem([FSRSReview(r, d) for r, d in h]) for _, h in raw]
    params = [float(x) for x in a.params.split(",")] if a.params else list(DEFAULT_PARAMETERS)
    model = FSRS(params)
    memory = []
    for item in items:
        history = FSRSItem(item.reviews[:-1])
        state = model.memory_state(history)
        memory.append([state.stability, state.difficulty])
    out = {"reviews": len(reviews), "items": [[c, [[r, d] for r, d in h]] for c, h in raw], "memory": memory}
    if items:
        ev = model.evaluate(items)
        out["evaluate"] = {"log_loss": ev.log_loss, "rmse_bins": ev.rmse_bins}
        first = [i for (_, h), i in zip(raw, items) if sum(1 for _, d in h if d > 0) == 1]
        init, train = filter_outlier(first, items)
        out["filtered"] = {"initialization": len(init), "train": len(train)}
    if a.fit:
        card_ids = [int(c) if str(c).isdigit() else abs(hash(c)) % (1 << 62) for c, _ in raw]
        t0 = time.perf_counter()
        fitted = FSRS(DEFAULT_PARAMETERS).compute_parameters(
            items, card_ids=card_ids, training_config=TrainingConfig(seed=a.seed))
        seconds = time.perf_counter() - t0
        ev_fit = FSRS(fitted).evaluate(items)
        ev_def = FSRS(DEFAULT_PARAMETERS).evaluate(items)
        out["fit"] = {"parameters": fitted, "log_loss": ev_fit.log_loss, "rmse_bins": ev_fit.rmse_bins,
                      "default_log_loss": ev_def.log_loss, "default_rmse_bins": ev_def.rmse_bins,
                      "seconds": seconds}
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
