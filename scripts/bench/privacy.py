"""Recall and false positives of the privacy gate on the planted corpus in
tests/fixtures/privacy (positives.tsv: kind and text; lookalikes.tsv: text that must pass).

    .venv/bin/python scripts/bench/privacy.py
"""

from __future__ import annotations

import time
from pathlib import Path

from stancebank.dataset.names import name_patterns
from stancebank.dataset.privacy import DEFAULT_REGIONS, find_kinds

CORPUS = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "privacy"
DENY = ["Kari Nordmann"]


def rows(name: str) -> list[list[str]]:
    lines = (CORPUS / name).read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]


def main() -> None:
    names = name_patterns(DENY)
    start = time.perf_counter()
    missed = [(k, t) for k, t in rows("positives.tsv") if k not in find_kinds(t, names)]
    flagged = [(t, find_kinds(t, names)) for (t,) in rows("lookalikes.tsv")]
    flagged = [(t, kinds) for t, kinds in flagged if kinds]
    seconds = time.perf_counter() - start
    positives, lookalikes = len(rows("positives.tsv")), len(rows("lookalikes.tsv"))
    print(f"regions {','.join(DEFAULT_REGIONS)}; deny list {DENY}")
    print(f"recall {positives - len(missed)}/{positives}; "
          f"false positives {len(flagged)}/{lookalikes}; {seconds:.2f} s")  # fmt: skip
    for kind, text in missed:
        print(f"  missed {kind}: {text}")
    for text, kinds in flagged:
        print(f"  flagged {kinds}: {text}")


if __name__ == "__main__":
    main()
