"""Recall and false positives of the privacy gate on the planted corpus in
tests/fixtures/privacy: positives.tsv (kind and text, English, Norwegian and Chinese; ``\\n``
is a line break), lookalikes.tsv (text that must pass: years, money, ISBNs, dates, times,
words that are also names), deny.txt (the names a release would deny); and the held-out
pair heldout-positives.tsv / heldout-lookalikes.tsv, written after the gate was tuned on the
first and measured once before any fix (BENCHMARKS.md has that first figure). Regions: those of
English, Norwegian and Chinese data with nothing declared (``regions_for``).

    .venv/bin/python scripts/bench/privacy.py
"""

from __future__ import annotations

import time
from pathlib import Path

from stancebank.dataset.names import name_patterns
from stancebank.dataset.privacy import find_kinds, regions_for

CORPUS = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "privacy"


def rows(name: str) -> list[list[str]]:
    lines = (CORPUS / name).read_text(encoding="utf-8").splitlines()
    return [line.replace("\\n", "\n").split("\t") for line in lines
            if line.strip() and not line.startswith("#")]  # fmt: skip


def measure(prefix: str, names, regions) -> None:
    start = time.perf_counter()
    planted, controls = rows(f"{prefix}positives.tsv"), rows(f"{prefix}lookalikes.tsv")
    missed = [(k, t) for k, t in planted if k not in find_kinds(t, names, regions)]
    flagged = [(t, find_kinds(t, names, regions)) for (t,) in controls]
    flagged = [(t, kinds) for t, kinds in flagged if kinds]
    seconds = time.perf_counter() - start
    found = len(planted) - len(missed)
    print(f"{prefix or 'corpus-'}: recall {found}/{len(planted)} ({found / len(planted):.1%}); "
          f"false positives {len(flagged)}/{len(controls)}; {seconds:.2f} s")  # fmt: skip
    for kind, text in missed:
        print(f"  missed {kind}: {text!r}")
    for text, kinds in flagged:
        print(f"  flagged {kinds}: {text!r}")


def main() -> None:
    deny = [name for (name,) in rows("deny.txt")]
    names, regions = name_patterns(deny), regions_for(["en", "no", "zh"])
    print(f"regions {','.join(regions)}; deny list {deny}")
    measure("", names, regions)
    measure("heldout-", names, regions)


if __name__ == "__main__":
    main()
