"""One retraining round in its own process, as ``serve-model`` starts it
(``python -m stancebank.retrain_job SPEC.json``): reads the spec, runs
:func:`stancebank.service.run_round`, and writes its result atomically. Exits non-zero on
any failure, leaving the served model alone."""

from __future__ import annotations

import json
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    from stancebank.dataset.jsonl import atomic_write_text
    from stancebank.service import run_round

    spec = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    result = run_round(spec)
    atomic_write_text(Path(spec["result"]), json.dumps(result, indent=1) + "\n")
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
