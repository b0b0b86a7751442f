"""The model in the loop, as a library: a model folder served to Label Studio as an ML
backend, and the retraining round that keeps it learning from new labels.

This is the one place where the stages meet at run time, so it lives in the top-level
package, beside (not inside) the command line: the labelling stage's service and retrainer
(:mod:`stancebank.labeling.ml_backend`, :mod:`stancebank.labeling.retrain`) get the model
stage's loading and prediction from :func:`predictor`, and each round is :func:`run_round`
(in its own process, ``python -m stancebank.retrain_job SPEC.json``). ``serve-model`` and
the retrain job only parse their arguments and call this module.

Example::

    from stancebank import service

    backend = service.backend("work/model", claims="work/claims.jsonl")
    service.run(backend)          # until interrupted
"""

from __future__ import annotations

import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from stancebank.dataset.errors import InputError
from stancebank.dataset.project import active
from stancebank.labeling.options import LOCAL_HOST, ServeOptions
from stancebank.labeling.retrain import Figures, RetrainSettings
from stancebank.models.options import TrainOptions

PathLike = str | Path
ROUND = (sys.executable, "-m", "stancebank.retrain_job")
"""A retraining round's command line (the spec file's path is appended)."""
LOOPBACK = (LOCAL_HOST, "localhost", "::1")


def predictor(model_dir: PathLike, *, batch_size: int = ServeOptions.batch_size):
    """A model folder as the service's predictor — ``(claims, questions) →
    (probabilities, class names)`` — and its version."""
    from stancebank.models.predict import load_classifier, predict_proba

    try:
        classifier = load_classifier(str(model_dir), precision="auto")
    except OSError as error:
        raise InputError(model_dir, f"cannot load the model ({str(error)[:160]})") from None

    def predict(claims: list[str], questions: list[str]):
        probs = predict_proba(classifier, claims, questions=questions, batch_size=batch_size)
        return probs, classifier.labels

    return predict, classifier.version


@dataclass(frozen=True)
class Backend:
    """A service ready to run: the Starlette app, the served model's slot, the retrainer
    (None when retraining is off) and the address it will listen on."""

    app: object
    slot: object
    retrainer: object | None
    address: str
    options: ServeOptions


def retrain_settings(
    model_dir: PathLike,
    *,
    claims: PathLike,
    answers: PathLike | None = None,
    project: str | None = None,
    every: int = ServeOptions.retrain_every,
    min_labels: int = ServeOptions.min_labels,
    work_dir: PathLike | None = None,
    ood_data: PathLike | None = None,
    train_options: TrainOptions | None = None,
    url: str | None = None,
    data_dir: PathLike | None = None,
) -> RetrainSettings:
    """What each round needs: the claims the project's tasks came from, the answers for the
    release's context, the recipe, the out-of-domain file the candidates are also scored on
    (never trained on), where rounds write (default ``MODEL_DIR.serve/``), and the Label
    Studio server found as for ``label`` commands (its token goes to the round through the
    environment, never a file or a command line)."""
    from stancebank.labeling import client as ls
    from stancebank.labeling.paths import resolve_data_dir

    claims = Path(claims)
    if not claims.is_file():
        raise InputError(claims, "no such claims file")
    if answers and not Path(answers).is_file():
        raise InputError(answers, "no such answers file")
    if ood_data and not Path(ood_data).is_file():
        raise InputError(ood_data, "no such out-of-domain file")
    if every < 1:
        raise InputError("--retrain-every", f"{every}: at least 1 new label")
    if min_labels < 1:
        raise InputError("--min-labels", f"{min_labels}: at least 1 labelled claim")
    connection = ls.resolve_connection(url, resolve_data_dir(data_dir))
    model_dir = Path(model_dir)
    work = Path(work_dir) if work_dir else model_dir.with_name(model_dir.name + ".serve")
    return RetrainSettings(
        claims=claims.resolve(), work_dir=work.resolve(),
        answers=Path(answers).resolve() if answers else None,
        every=every, min_labels=min_labels, options=asdict(train_options or TrainOptions()),
        project_dir=active().root,
        ood_data=Path(ood_data).resolve() if ood_data else None, project=project,
        environment={"LABEL_STUDIO_URL": connection.url,
                     "LABEL_STUDIO_API_KEY": connection.token},
    )  # fmt: skip


def backend(
    model_dir: PathLike,
    *,
    options: ServeOptions | None = None,
    secret: str | None = None,
    retrain: RetrainSettings | None = None,
) -> Backend:
    """Check the serving options, load the model and build the service (with its
    retrainer when ``retrain`` is given). Bad input raises ``InputError`` before anything is
    loaded; a taken port raises ``ServerError`` (exit 2)."""
    from stancebank.labeling.ml_backend import ModelSlot, create_app
    from stancebank.labeling.net import ServerError, port_is_free
    from stancebank.labeling.retrain import Retrainer, Served

    options = options or ServeOptions()
    model_dir = Path(model_dir)
    if options.host not in LOOPBACK and not secret:
        raise InputError("--host", f"listening on {options.host} needs a shared secret in "
                         "$STANCEBANK_BACKEND_SECRET")  # fmt: skip
    if not 1 <= options.port <= 65535:
        raise InputError("--port", f"{options.port} is not a port (1 to 65535)")
    if not model_dir.is_dir():
        raise InputError(model_dir, "is not a model folder (written by 'stancebank train')")
    if options.retrain_every < 1:
        raise InputError("--retrain-every", f"{options.retrain_every}: at least 1 new label")
    if not port_is_free(options.port, options.host):
        raise ServerError(f"port {options.port} on {options.host} is taken; choose another "
                          "with --port", exit_status=2)  # fmt: skip
    predict, version = predictor(model_dir, batch_size=options.batch_size)
    slot = ModelSlot(predict, version)
    retrainer = None
    if retrain is not None:
        load = lambda folder: predictor(folder, batch_size=options.batch_size)[0]  # noqa: E731
        retrainer = Retrainer(retrain, Served(model_dir, version), load=load, swap=slot.swap,
                              job=ROUND)  # fmt: skip
    app = create_app(slot, secret=secret, retrainer=retrainer)
    return Backend(app, slot, retrainer, f"http://{options.host}:{options.port}", options)


def run(service: Backend) -> None:
    """Serve until interrupted (a running round is stopped on the way out)."""
    from stancebank.labeling.ml_backend import run as run_app

    run_app(service.app, host=service.options.host, port=service.options.port)


def round_figures(model_dir: Path, release: Path, ood_data: Path | None) -> Figures:
    """Macro-F1 on the release's test split (every class present) and on the
    out-of-domain file (its polar classes when that is all it holds)."""
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


def run_round(spec: dict) -> dict:
    """One retraining round (the spec the retrainer writes): pull a fresh snapshot of the
    project, build a release from it, train a candidate with the served recipe, and score
    the served model and the candidate on the same items — the new release's test split and
    the out-of-domain file. Returns what the retrainer decides on; ``skipped`` (and nothing
    trained) when the release has fewer than ``min_labels`` claims or its train split lacks
    a polar stance."""
    from stancebank.dataset.api import build_release
    from stancebank.dataset.project import activate, load
    from stancebank.dataset.schema import load_schema
    from stancebank.labeling.api import pull
    from stancebank.models.api import train
    from stancebank.models.predict import model_version

    if spec.get("project_dir"):
        activate(load(spec["project_dir"]))
    annotations = Path(spec["annotations"])
    annotations.mkdir(parents=True, exist_ok=True)
    pulled = pull(out=annotations, project=spec["project"])
    print(f"pulled {pulled.annotations} annotations of {pulled.claims} claims", flush=True)
    built = build_release(claims=spec["claims"], annotations=annotations,
                          answers=spec["answers"], out=spec["release"])  # fmt: skip
    print(f"built {built.out}", flush=True)
    claims = sum(built.report.rows.values())
    train_counts = built.report.label_counts.get("train", {})
    polar = load_schema().polar_values
    needed = spec.get("min_labels", ServeOptions.min_labels)
    if claims < needed or not all(train_counts.get(p) for p in polar):
        return {"claims": claims, "skipped": (
            f"{claims} labelled claims, of them to train on "
            + ", ".join(f"{p} {train_counts.get(p, 0)}" for p in polar)
            + f"; a round needs {needed} with both {' and '.join(polar)} to train on"
        )}  # fmt: skip
    ood = Path(spec["ood_data"]) if spec.get("ood_data") else None
    options = TrainOptions(**spec["options"])
    trained = train(dataset_dir=spec["release"], out=spec["candidate"], options=options,
                    cv=False, ood_data=ood, progress=False)  # fmt: skip
    release, current = Path(spec["release"]), Path(spec["current"])
    before = round_figures(current, release, ood)
    after = round_figures(Path(spec["candidate"]), release, ood)
    return {
        "claims": claims,
        "version_before": model_version(str(current)),
        "version": trained.metrics["model_version"],
        "before": before.__dict__,
        "after": after.__dict__,
    }
