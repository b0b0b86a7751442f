"""Retraining while annotators work: count new labels from Label Studio's webhooks, and
every N of them (or on the "Start training" button) run one retraining round in a
separate, low-priority process (the command line's ``stancebank.retrain_job``: fresh pull,
build, train, score old and new model on the same items). The candidate replaces the served
model only if it is better on one figure and worse on none, and only once it is loaded; a
round with too few labels trains nothing; a crash in the round leaves serving untouched.
Never two rounds at once.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from stancebank.labeling.ml_protocol import LABEL_EVENTS, TRAIN_EVENT, Event
from stancebank.labeling.options import DEFAULT_MIN_LABELS, DEFAULT_RETRAIN_EVERY

log = logging.getLogger("stancebank.serve")


@dataclass(frozen=True)
class Figures:
    """Macro-F1 of one model on the new release's test split and on the out-of-domain
    labelled file (benefit/harm); None where there is no such data."""

    test: float | None
    ood: float | None

    def text(self) -> str:
        parts = [f"{name} {value:.3f}" for name, value in (("test", self.test),
                 ("out-of-domain", self.ood)) if value is not None]  # fmt: skip
        return ", ".join(parts) or "no figures"


def better(before: Figures, after: Figures) -> bool:
    """The candidate replaces the served model only if it is better on at least one figure
    both models have and worse on none; a tie (two models that both score 0.000, say) keeps
    the served one, and so does having no figure to compare."""
    pairs = [(b, a) for b, a in ((before.test, after.test), (before.ood, after.ood))
             if b is not None and a is not None]  # fmt: skip
    return all(a >= b for b, a in pairs) and any(a > b for b, a in pairs)


class LabelCount:
    """Distinct annotations created or updated since the last round started."""

    def __init__(self, every: int) -> None:
        if every < 1:
            raise ValueError("--retrain-every must be at least 1")
        self.every = every
        self.pending: set[int] = set()

    def add(self, annotation_ids: Iterable[int]) -> None:
        self.pending.update(annotation_ids)

    def due(self) -> bool:
        return len(self.pending) >= self.every

    def take(self) -> int:
        n = len(self.pending)
        self.pending.clear()
        return n


@dataclass
class RetrainSettings:
    claims: Path
    work_dir: Path
    answers: Path | None = None
    every: int = DEFAULT_RETRAIN_EVERY
    options: dict = field(default_factory=dict)
    """The training recipe (``TrainOptions`` as a dict), handed to each round."""
    ood_data: Path | None = None
    project: str | None = None
    """Only this project's events count (default: the project of the first labelling
    event)."""
    min_labels: int = DEFAULT_MIN_LABELS
    """No candidate is trained on fewer labelled claims, or on a release without both polar
    stances: it could only be luck if it scored better."""
    project_dir: Path | None = None
    """The project folder whose stancebank.toml each round reads (labels, card facts)."""
    environment: dict[str, str] = field(default_factory=dict)
    """LABEL_STUDIO_URL and LABEL_STUDIO_API_KEY for the round's pull (never on a command
    line)."""


@dataclass
class Served:
    """The model folder being served and its version (what a round compares against)."""

    model_dir: Path
    version: str


class Retrainer:
    """Decides when to run a round and swaps in a better model. ``load`` turns a model
    folder into whatever ``swap`` installs; both run on the round's watcher thread, so
    ``/predict`` keeps answering with the served model meanwhile."""

    def __init__(
        self,
        settings: RetrainSettings,
        served: Served,
        *,
        load: Callable[[Path], object],
        swap: Callable[[object, str], None],
        job: Sequence[str],
    ) -> None:
        """``job`` is a round's command line; the spec file's path is appended."""
        self.settings = settings
        self._job = list(job)
        self.served = served
        self._load, self._swap = load, swap
        self._count = LabelCount(settings.every)
        self._lock = threading.Lock()
        self._running: subprocess.Popen | None = None
        self._watcher: threading.Thread | None = None
        self._project = settings.project
        self._round = 0
        self.history: list[dict] = []
        """One record per finished round (what the log line says), newest last."""
        settings.work_dir.mkdir(parents=True, exist_ok=True)

    @property
    def training(self) -> bool:
        return self._running is not None

    def on_event(self, event: Event) -> str:
        """Count a webhook; start a round when due. Returns what happened, for the reply.
        The project is the one given, else the one of the first labelling event; an event
        that names no project is ignored."""
        with self._lock:
            if not event.project_title:
                return "ignored: the event names no project"
            if self._project is None:
                if event.action not in LABEL_EVENTS:
                    return "ignored: no labelling event yet names the project to follow"
                self._project = event.project_title
            if event.project_title != self._project:
                return f"ignored: events of project '{self._project}' only"
            if event.action in LABEL_EVENTS:
                self._count.add(event.annotation_ids)
            elif event.action != TRAIN_EVENT:
                return "ignored"
            wanted = event.action == TRAIN_EVENT or self._count.due()
            if not wanted:
                return f"counted: {len(self._count.pending)} of {self._count.every} new labels"
            if self._running is not None:
                return "counted: a round is running; the next starts when it ends"
            return self._start()

    def _start(self) -> str:
        """Launch the next round (the lock is held)."""
        if self._project is None:
            return "not started: no project known yet (no labelling event so far)"
        self._round += 1
        labels = self._count.take()
        spec = self._spec(self._round)
        spec_path = self.settings.work_dir / f"round-{self._round}.spec.json"
        spec_path.write_text(json.dumps(spec, indent=1) + "\n", encoding="utf-8")
        log_path = self.settings.work_dir / f"round-{self._round}.log"
        with open(log_path, "ab") as log_file:
            self._running = subprocess.Popen(
                [*self._job, str(spec_path)],
                env={**os.environ, **self.settings.environment},
                stdout=log_file, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                preexec_fn=lambda: os.nice(10),  # serving keeps priority over training
            )  # fmt: skip
        log.info("retrain %d: started after %d new labels (log: %s)", self._round, labels,
                 log_path)  # fmt: skip
        self._watcher = threading.Thread(
            target=self._watch, args=(self._running, spec, log_path), daemon=True
        )
        self._watcher.start()
        return f"retraining (round {self._round})"

    def _spec(self, number: int) -> dict:
        work = self.settings.work_dir
        return {
            "round": number,
            "project": self._project,
            "claims": str(self.settings.claims),
            "answers": str(self.settings.answers) if self.settings.answers else None,
            "annotations": str(work / "annotations"),
            "release": str(work / "releases" / f"round-{number}"),
            "candidate": str(work / "models" / f"round-{number}"),
            "current": str(self.served.model_dir),
            "ood_data": str(self.settings.ood_data) if self.settings.ood_data else None,
            "options": self.settings.options,
            "min_labels": self.settings.min_labels,
            "project_dir": str(self.settings.project_dir) if self.settings.project_dir else None,
            "result": str(work / f"round-{number}.json"),
        }

    def _watch(self, process: subprocess.Popen, spec: dict, log_path: Path) -> None:
        status = process.wait()
        record = {"round": spec["round"], "status": status, "accepted": False,
                  "version_before": self.served.version}  # fmt: skip
        try:
            result = json.loads(Path(spec["result"]).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            result = None
        if status != 0 or result is None:
            log.error("retrain %d failed (exit %d, see %s); still serving %s", spec["round"],
                      status, log_path, self.served.version)  # fmt: skip
        elif result.get("skipped"):
            record["skipped"] = result["skipped"]
            log.info("retrain %d: skipped (%s); still serving %s", spec["round"],
                     result["skipped"], self.served.version)  # fmt: skip
        else:
            record.update(self._decide(spec, result))
        self.history.append(record)
        with self._lock:
            self._running = None
            if self._count.due():
                self._start()

    def _decide(self, spec: dict, result: dict) -> dict:
        before, after = Figures(**result["before"]), Figures(**result["after"])
        candidate = Path(spec["candidate"])
        accepted = better(before, after)
        if accepted:
            try:
                loaded = self._load(candidate)
            except Exception as error:  # a candidate that will not load is not served
                log.error("retrain %d: the candidate does not load (%s); still serving %s",
                          spec["round"], str(error)[:200], self.served.version)  # fmt: skip
                return {"before": result["before"], "after": result["after"]}
            previous = self.served
            self._swap(loaded, result["version"])
            self.served = Served(candidate, result["version"])
            if previous.model_dir.parent == candidate.parent:  # ours, not the user's folder
                shutil.rmtree(previous.model_dir, ignore_errors=True)
        else:
            shutil.rmtree(candidate, ignore_errors=True)
        log.info(
            "retrain %d: %d labelled claims; served %s: %s; candidate %s: %s; %s",
            spec["round"], result["claims"], result["version_before"], before.text(),
            result["version"], after.text(),
            "swapped in" if accepted else "kept the served model (the candidate is not better)",
        )  # fmt: skip
        return {"accepted": accepted, "before": result["before"], "after": result["after"],
                "version_after": result["version"]}  # fmt: skip

    def wait(self, timeout: float | None = None) -> None:
        """Block until the running round (if any) is decided (for tests and shutdown)."""
        watcher = self._watcher
        if watcher is not None:
            watcher.join(timeout)

    def stop(self) -> None:
        """Stop a running round (its partial output is never served)."""
        process = self._running
        if process is not None and process.poll() is None:
            process.terminate()
