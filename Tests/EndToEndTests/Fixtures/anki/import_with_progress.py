#!/usr/bin/env python3
"""Imports one .apkg with "Import any learning progress" into a fresh collection with the real
Anki library (pip install anki==26.9.3) and prints, as JSON, what Anki kept: {"today",
"cards": {guid: {type, queue, due_in_days, due, ivl, reps, lapses, stability, difficulty}},
"revlog": {guid: [[id, ease, time], ...]}}."""
import json
import os
import sys
import tempfile

from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

col = Collection(os.path.join(tempfile.mkdtemp(), "collection.anki2"))
col.import_anki_package(ImportAnkiPackageRequest(
    package_path=os.path.abspath(sys.argv[1]),
    options=ImportAnkiPackageOptions(with_scheduling=True, with_deck_configs=True)))
today = col.sched.today
out = {"today": today, "cards": {}, "revlog": {}}
for cid in col.find_cards(""):
    c = col.get_card(cid)
    guid = col.get_note(c.nid).guid
    ms = c.memory_state
    out["cards"][guid] = {"type": c.type, "queue": c.queue, "due": c.due,
                          "due_in_days": (c.due - today) if c.type == 2 else None, "ivl": c.ivl,
                          "reps": c.reps, "lapses": c.lapses,
                          "stability": ms.stability if ms else None, "difficulty": ms.difficulty if ms else None}
    out["revlog"][guid] = col.db.all("select id, ease, time from revlog where cid = ? order by id", cid)
json.dump(out, sys.stdout)
