"""One retraining round, run by ``serve-model`` in its own process
(``python -m stancebank.retrain_job SPEC.json``): pull a fresh snapshot of the
project, build a release from it, train a candidate with the served recipe, and score the
served model and the candidate on the same items — the new release's test split and the
out-of-domain labelled file (never trained on). Writes ``result`` atomically; exits
non-zero on any failure, leaving the served model alone."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from stancebank.labeling.retrain import Figures


def figures(model_dir: Path, release: Path, ood_data: Path | None) -> Figures:
    """Macro-F1 on the release's test split (every class present) and on the
    out-of-domain file (benefit/harm when that is all it holds)."""
    from stancebank.dataset.schema import load_schema
    from stancebank.models.data import load_labelled_file, load_splits
    from stancebank.models.evaluate import score_examples

    test = load_splits(release).get("test")
    test_f1 = score_examples(str(model_dir), test).metrics["macro_f1"] if test else None
    ood_f1 = None
    if ood_data is not None:
        examples = load_labelled_file(ood_data)
        polar = list(load_schema().polar_values)
        only = polar if set(examples.labels) <= set(polar) else None
        ood_f1 = score_examples(str(model_dir), examples, only).metrics["macro_f1"]
    return Figures(test_f1, ood_f1)


def run(spec: dict) -> dict:
    from stancebank.dataset.api import build_release
    from stancebank.labeling.api import pull
    from stancebank.models.api import train
    from stancebank.models.options import TrainOptions
    from stancebank.models.predict import model_version

    annotations = Path(spec["annotations"])
    annotations.mkdir(parents=True, exist_ok=True)
    pulled = pull(out=annotations, project=spec["project"])
    print(f"pulled {pulled.annotations} annotations of {pulled.claims} claims", flush=True)
    built = build_release(claims=spec["claims"], annotations=annotations,
                          answers=spec["answers"], out=spec["release"])  # fmt: skip
    print(f"built {built.out}", flush=True)
    ood = Path(spec["ood_data"]) if spec.get("ood_data") else None
    options = TrainOptions(**spec["options"])
    trained = train(dataset_dir=spec["release"], out=spec["candidate"], options=options,
                    cv=False, ood_data=ood, progress=False)  # fmt: skip
    release, current = Path(spec["release"]), Path(spec["current"])
    before = figures(current, release, ood)
    after = figures(Path(spec["candidate"]), release, ood)
    return {
        "claims": sum(built.report.rows.values()),
        "version_before": model_version(str(current)),
        "version": trained.metrics["model_version"],
        "before": before.__dict__,
        "after": after.__dict__,
    }


def main(argv: list[str]) -> int:
    from stancebank.dataset.jsonl import atomic_write_text

    spec = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    result = run(spec)
    atomic_write_text(Path(spec["result"]), json.dumps(result, indent=1) + "\n")
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
