#!/usr/bin/env python3
"""Imports two .apkg packages, one after the other, into one fresh collection with the real Anki
library (pip install anki==26.9.3) and prints, as JSON, what each import added or updated and
what the collection holds after both: {"first": {...}, "second": {...}, "notes", "cards",
"notetypes", "decks"}."""
import json
import os
import sys
import tempfile

from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest


def log(result):
    return {"new": len(result.log.new), "updated": len(result.log.updated),
            "duplicate": len(result.log.duplicate), "conflicting": len(result.log.conflicting)}


col = Collection(os.path.join(tempfile.mkdtemp(), "collection.anki2"))
opts = ImportAnkiPackageOptions(with_scheduling=True, with_deck_configs=True)
out = {}
for key, path in (("first", sys.argv[1]), ("second", sys.argv[2])):
    out[key] = log(col.import_anki_package(ImportAnkiPackageRequest(package_path=os.path.abspath(path), options=opts)))
out["notes"] = col.note_count()
out["cards"] = col.card_count()
out["notetypes"] = sorted(m["name"] for m in col.models.all())
out["decks"] = len(col.decks.all_names_and_ids())
json.dump(out, sys.stdout)
