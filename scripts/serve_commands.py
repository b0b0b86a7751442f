"""``serve-model``: a model folder as a Label Studio ML backend that retrains as annotators
work, and ``label connect-model``'s handler. Here the two stages meet: the service and the
retrainer (:mod:`stancebank.labeling.ml_backend`, :mod:`stancebank.labeling.retrain`) get
the model stage's loading and prediction from this module, and each round runs
:mod:`stancebank.retrain_job`."""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import asdict
from pathlib import Path

from stancebank import console
from stancebank.arguments import server_options, subcommand
from stancebank.console import say
from stancebank.dataset.errors import InputError
from stancebank.labeling.ml_protocol import DEFAULT_BACKEND_PORT, SECRET_ENV
from stancebank.labeling.retrain import DEFAULT_EVERY

BATCH_SIZE = 16
"""Claims per forward pass in ``/predict``: on 2 cores 100 seed claims took 1.6 s at 8–16,
1.9 s at 32 and 2.5 s at 64 (all-mpnet-base-v2, bfloat16; BENCHMARKS.md)."""
ROUND = (sys.executable, "-m", "stancebank.retrain_job")

_SERVE_EXAMPLES = f"""examples:
  stancebank serve-model work/model                     # predictions only
  stancebank serve-model work/model --claims work/claims.jsonl \\
      --answers work/answers.jsonl --retrain-every 20   # and retrain as labels arrive
  stancebank label connect-model --project seed --backend http://127.0.0.1:{DEFAULT_BACKEND_PORT}

Label Studio calls /health, /setup, /predict and /webhook. With --claims, every
--retrain-every new labels (or Label Studio's "Start training" button) start one round in
a low-priority process: pull the project, build a release, train a candidate with the
recipe options below, score the served model and the candidate on the release's test
split and the out-of-domain file, and swap the candidate in only if it is not worse on
either. Rounds, releases and candidates go to --work-dir; one log line per round.
Set ${SECRET_ENV} (the same for connect-model) to require a shared secret."""


def add_parsers(subparsers) -> None:
    from stancebank.model_commands import recipe_options

    parser = subcommand(
        subparsers,
        "serve-model",
        "Serve a stance model to Label Studio as an ML backend; retrain as labels arrive.",
        serve_model,
        examples=_SERVE_EXAMPLES,
    )
    parser.add_argument("model", metavar="MODEL_DIR", help="model folder written by 'train'")
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (another needs a shared secret)")  # fmt: skip
    parser.add_argument("--port", type=int, default=DEFAULT_BACKEND_PORT, help="port to listen on")
    retrain = parser.add_argument_group("retraining (on when --claims is given)")
    retrain.add_argument("--claims", metavar="CLAIMS_JSONL",
                         help="the claims file the project's tasks came from")  # fmt: skip
    retrain.add_argument("--answers", metavar="ANSWERS_JSONL",
                         help="the answers file, for the release's context")  # fmt: skip
    retrain.add_argument("--project", help="count only this project's labels (default: the "
                         "project of the first labelling event)")  # fmt: skip
    retrain.add_argument("--retrain-every", type=int, default=DEFAULT_EVERY, metavar="N",
                         help="new labels between two rounds")  # fmt: skip
    retrain.add_argument("--work-dir", metavar="DIR",
                         help="rounds, releases, models (default: MODEL_DIR.serve/)")  # fmt: skip
    retrain.add_argument("--ood-data", metavar="FILE",
                         help="labelled file the candidates are also scored on (default: the "
                         "dev set when it exists)")  # fmt: skip
    recipe_options(retrain)
    server_options(retrain, url=True)


def read_secret() -> str | None:
    secret = os.environ.get(SECRET_ENV, "").strip()
    return secret or None


def serve_model(args: argparse.Namespace) -> int:
    from stancebank.labeling import ml_backend
    from stancebank.labeling.server import ServerError, port_is_free
    from stancebank.model_commands import default_ood_data, recipe_from

    secret = read_secret()
    if args.host not in ("127.0.0.1", "localhost", "::1") and not secret:
        raise InputError("--host", f"listening on {args.host} needs a shared secret in "
                         f"${SECRET_ENV}")  # fmt: skip
    if not 1 <= args.port <= 65535:
        raise InputError("--port", f"{args.port} is not a port (1 to 65535)")
    if not port_is_free(args.port, args.host):
        raise ServerError(f"port {args.port} on {args.host} is taken; choose another with --port",
                          exit_status=2)  # fmt: skip
    model_dir = Path(args.model)
    if not model_dir.is_dir():
        raise InputError(model_dir, "is not a model folder (written by 'stancebank train')")
    if args.retrain_every < 1:
        raise InputError("--retrain-every", f"{args.retrain_every}: at least 1 new label")
    retrain = None
    if args.claims:
        retrain = _retrain_settings(args, model_dir, asdict(recipe_from(args)),
                                    default_ood_data(args.ood_data))  # fmt: skip
    elif args.answers or args.project:
        raise InputError("--claims", "retraining needs the claims file the tasks came from")
    ml_backend.configure_logging(quiet=not console.progress(), verbose=console.verbose())
    app, slot = build_app(model_dir, secret=secret, retrain=retrain)
    address = f"http://{args.host}:{args.port}"
    print(address, flush=True)
    say(f"serving {model_dir} (model version {slot.version}) at {address}"
        + (", shared secret required" if secret else ""))  # fmt: skip
    say(f"retraining every {args.retrain_every} new labels; rounds in {retrain.work_dir}"
        if retrain else "retraining off (give --claims to retrain as labels arrive)")  # fmt: skip
    say(f"connect it: stancebank label connect-model --project PROJECT --backend {address}")
    ml_backend.run(app, host=args.host, port=args.port)
    return 0


def predictor(model_dir: Path):
    """A model folder as the service's predictor, and its version."""
    from stancebank.models.predict import load_classifier, predict_proba

    try:
        classifier = load_classifier(str(model_dir), precision="auto")
    except OSError as error:
        raise InputError(model_dir, f"cannot load the model ({str(error)[:160]})") from None

    def predict(claims: list[str], questions: list[str]):
        probs = predict_proba(classifier, claims, questions=questions, batch_size=BATCH_SIZE)
        return probs, classifier.labels

    return predict, classifier.version


def build_app(model_dir: Path, *, secret: str | None, retrain=None):
    """The service for ``model_dir`` (and its retrainer when ``retrain`` settings are given)."""
    from stancebank.labeling.ml_backend import ModelSlot, create_app
    from stancebank.labeling.retrain import Retrainer, Served

    if not model_dir.is_dir():
        raise InputError(model_dir, "is not a model folder (written by 'stancebank train')")
    predict, version = predictor(model_dir)
    slot = ModelSlot(predict, version)
    retrainer = None
    if retrain is not None:
        retrainer = Retrainer(
            retrain, Served(model_dir, version), load=lambda folder: predictor(folder)[0],
            swap=slot.swap, job=ROUND,
        )  # fmt: skip
    return create_app(slot, secret=secret, retrainer=retrainer), slot


def _retrain_settings(args, model_dir: Path, options, ood) -> object:
    from stancebank.labeling import client as ls
    from stancebank.labeling.retrain import RetrainSettings
    from stancebank.labeling.server import resolve_data_dir

    claims = Path(args.claims)
    if not claims.is_file():
        raise InputError(claims, "no such claims file")
    if args.answers and not Path(args.answers).is_file():
        raise InputError(args.answers, "no such answers file")
    connection = ls.resolve_connection(args.url, resolve_data_dir(args.data_dir))
    work = Path(args.work_dir) if args.work_dir else model_dir.with_name(model_dir.name + ".serve")
    return RetrainSettings(
        claims=claims.resolve(), work_dir=work.resolve(),
        answers=Path(args.answers).resolve() if args.answers else None,
        every=args.retrain_every, options=options,
        ood_data=Path(ood).resolve() if ood else None, project=args.project,
        environment={"LABEL_STUDIO_URL": connection.url,
                     "LABEL_STUDIO_API_KEY": connection.token},
    )  # fmt: skip


def label_connect_model(args: argparse.Namespace) -> int:
    from stancebank.labeling import api
    from stancebank.labeling.server import LOCAL_BACKEND_SETTINGS

    result = api.connect_model(project=args.project, backend=args.backend, secret=read_secret(),
                               url=args.url, data_dir=args.data_dir)  # fmt: skip
    if result.restarted_server:
        settings = " and ".join(f"{k}={v}" for k, v in LOCAL_BACKEND_SETTINGS.items())
        say(f"restarted the local Label Studio with {settings}, so it may call a backend on "
            "this machine (this server only; it listens on 127.0.0.1)")  # fmt: skip
    verb = "connected" if result.created else "already connected; settings refreshed"
    say(f"project '{args.project}': backend {args.backend} {verb} (model version "
        f"{result.model_version or 'unknown'}); a task opened without a prediction gets one, "
        "and labels are sent to the backend's /webhook")  # fmt: skip
    return 0
