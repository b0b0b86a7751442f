"""``serve-model``: its arguments, and a handler that calls :mod:`stancebank.service` (the
model in the loop as a library) and prints where it serves."""

from __future__ import annotations

import argparse

from stancebank import console
from stancebank.arguments import (
    backend_secret,
    recipe_options,
    server_options,
    subcommand,
    train_options,
)
from stancebank.console import say
from stancebank.dataset.errors import InputError
from stancebank.dataset.project import active
from stancebank.labeling.ml_protocol import SECRET_ENV
from stancebank.labeling.options import ServeOptions

_SERVE_EXAMPLES = f"""examples:
  stancebank serve-model work/model                     # predictions only
  stancebank serve-model work/model --claims work/claims.jsonl \\
      --answers work/answers.jsonl --retrain-every 20   # and retrain as labels arrive
  stancebank serve-model work/model --claims work/claims.jsonl \\
      --ood-data ../shared/eval/surveillance-dev.csv    # candidates also scored on it
  stancebank label connect-model --project seed --backend http://127.0.0.1:{ServeOptions.port}

Label Studio calls /health, /setup, /predict and /webhook. With --claims, every
--retrain-every new labels (or Label Studio's "Start training" button) start one round in
a low-priority process: pull the project, build a release, train a candidate with the
recipe options below (once the release has --min-labels claims with both polar stances),
score the served model and the candidate on the release's test split (and the --ood-data
file, if given), and swap the candidate in only if it is better on one and worse on none.
Rounds, releases and candidates go to --work-dir; one log line per round.
Set ${SECRET_ENV} (the same for connect-model) to require a shared secret."""


def add_parsers(subparsers) -> None:
    """``serve-model``."""
    parser = subcommand(
        subparsers,
        "serve-model",
        "Serve a stance model to Label Studio as an ML backend; retrain as labels arrive.",
        serve_model,
        examples=_SERVE_EXAMPLES,
    )
    parser.add_argument("model", metavar="MODEL_DIR", help="model folder written by 'train'")
    parser.add_argument("--host", default=ServeOptions.host,
                        help="address to listen on (another needs a shared secret)")  # fmt: skip
    parser.add_argument("--port", type=int, default=ServeOptions.port, help="port to listen on")
    retrain = parser.add_argument_group("retraining (on when --claims is given)")
    retrain.add_argument("--claims", metavar="CLAIMS_JSONL",
                         help="the claims file the project's tasks came from")  # fmt: skip
    retrain.add_argument("--answers", metavar="ANSWERS_JSONL",
                         help="the answers file, for the release's context")  # fmt: skip
    title = active().label_studio.get("project")
    retrain.add_argument("--project", default=title or None,
                         help="count only this project's labels (default: the project file's, "
                         "else the project of the first labelling event)")  # fmt: skip
    retrain.add_argument("--retrain-every", type=int, default=ServeOptions.retrain_every,
                         metavar="N", help="new labels between two rounds")  # fmt: skip
    retrain.add_argument("--min-labels", type=int, default=ServeOptions.min_labels,
                         metavar="N", help="labelled claims (with both polar stances) a "
                         "round needs before it trains a candidate")  # fmt: skip
    retrain.add_argument("--work-dir", metavar="DIR",
                         help="rounds, releases, models (default: MODEL_DIR.serve/)")  # fmt: skip
    retrain.add_argument("--ood-data", metavar="FILE",
                         help="labelled file the candidates are also scored on, never "
                         "trained on (default: none)")  # fmt: skip
    recipe_options(retrain)
    server_options(retrain, url=True)


def serve_model(args: argparse.Namespace) -> int:
    from stancebank import service
    from stancebank.labeling import ml_backend

    options = ServeOptions(host=args.host, port=args.port, retrain_every=args.retrain_every)
    secret = backend_secret()
    retrain = None
    if args.claims:
        retrain = service.retrain_settings(
            args.model, claims=args.claims, answers=args.answers, project=args.project,
            every=args.retrain_every, min_labels=args.min_labels, work_dir=args.work_dir,
            ood_data=args.ood_data,
            train_options=train_options(args), url=args.url, data_dir=args.data_dir,
        )  # fmt: skip
    elif args.answers or args.project or args.ood_data:
        raise InputError("--claims", "retraining needs the claims file the tasks came from")
    ml_backend.configure_logging(quiet=not console.progress(), verbose=console.verbose())
    served = service.backend(args.model, options=options, secret=secret, retrain=retrain)
    print(served.address, flush=True)
    say(f"serving {args.model} (model version {served.slot.version}) at {served.address}"
        + (", shared secret required" if secret else ""))  # fmt: skip
    say(f"retraining every {args.retrain_every} new labels; rounds in {retrain.work_dir}"
        if retrain else "retraining off (give --claims to retrain as labels arrive)")  # fmt: skip
    say(f"connect it: stancebank label connect-model --project PROJECT --backend "
        f"{served.address}")  # fmt: skip
    service.run(served)
    return 0
