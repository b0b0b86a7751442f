"""``train``'s workflow: train the recipe, score it on the test split, by grouped CV on the
release and on an out-of-domain file, put reference baselines beside it, and write the model
folder with its card and metrics (replaced only when complete)."""

from __future__ import annotations

from pathlib import Path

from stancebank.dataset.outputs import staged_directory
from stancebank.dataset.schema import load_schema
from stancebank.models.baselines import embedding_lr, grouped_cv, majority, tfidf_lr
from stancebank.models.card import model_card
from stancebank.models.data import concat, load_labelled_file, load_splits, require_split
from stancebank.models.evaluate import score_examples
from stancebank.models.folder import record_version, write_results
from stancebank.models.metrics import classification_metrics, polar_macro_f1, present_labels
from stancebank.models.options import STANDARD, TrainOptions
from stancebank.models.sentence_head import sentence_embedder
from stancebank.models.train import train_model, training_examples


def _baselines(splits, train, test, extra, names, vectors, cv: bool) -> dict:
    everything = concat(splits)
    candidates = {
        "majority class": (majority, ((), ())),
        "TF-IDF + logistic regression": (tfidf_lr, ((), ())),
        "frozen embeddings + LR": (embedding_lr(vectors), ((), ())),
        "frozen embeddings + LR, + extras": (embedding_lr(vectors), extra),
    }
    results = {}
    for name, (fit, added) in candidates.items():
        row: dict = {}
        if test is not None:
            predict = fit([*train.texts, *added[0]], [*train.labels, *added[1]], 0)
            gold = test.labels
            predicted = predict(test.texts)
            row["test_macro_f1"] = classification_metrics(
                gold, predicted, present_labels(gold, predicted, names), bootstrap=0
            )["macro_f1"]
        if cv and len(set(everything.groups)) >= 2:
            row["cv"] = grouped_cv(fit, everything.texts, everything.labels, everything.groups,
                                   names, extra=added)  # fmt: skip
        results[name] = row
    return results


def _recipe_cv(options: TrainOptions, splits: list, extra, names, embedder) -> dict | None:
    """Grouped CV of the recipe itself over every release claim — cheap for the sentence
    head and the frozen-encoder head (embeddings or states computed once); None for
    fine-tuning, whose CV needs five trainings (``scripts/experiments/recipes.py`` runs it)."""
    from stancebank.models.head import frozen_head_cv
    from stancebank.models.sentence_head import sentence_head_cv

    everything = concat(splits)
    if len(set(everything.groups)) < 2:
        return None
    if options.recipe == STANDARD:
        read = embedder.pooled
        probs = sentence_head_cv(options, read(everything.texts), everything.labels,
                                 everything.groups, (read(extra[0]), extra[1]), names)  # fmt: skip
    elif options.epochs == 0:
        probs = frozen_head_cv(options, everything, extra)
    else:
        return None
    predicted = [names[i] for i in probs.argmax(1)]
    polar = list(load_schema().polar_values)
    scored = classification_metrics(everything.labels, predicted, names)
    return {
        "macro_f1": scored["macro_f1"],
        "macro_f1_ci95": scored["macro_f1_ci95"],
        "macro_f1_benefit_harm": polar_macro_f1(everything.labels, probs, names, polar),
        "folds": 5,
        "n": len(everything.labels),
    }


def _out_of_domain(model_dir: Path, ood_data: Path | None) -> dict | None:
    """The model on a labelled file nobody here wrote, restricted to the polar classes when
    that is all the file has (the dev set's benefit/harm)."""
    if ood_data is None:
        return None
    examples = load_labelled_file(ood_data)
    polar = list(load_schema().polar_values)
    only = polar if set(examples.labels) <= set(polar) else None
    metrics = score_examples(str(model_dir), examples, only).metrics
    return {"data": ood_data.name, "labels": only or metrics["labels"], **metrics}


def release_facts(dataset_dir: Path) -> dict:
    """What the model card says of the data: its name, target, counts, languages, and the
    Hub id it was published under (``publish`` records it in the folder)."""
    from stancebank.dataset.card import counts
    from stancebank.dataset.languages import normalise
    from stancebank.dataset.project import active
    from stancebank.dataset.release import read_published, read_release, release_title

    splits = read_release(dataset_dir)
    languages = sorted({normalise(lang) for split in splits.values() for lang in split["language"]})
    return {
        "name": release_title(dataset_dir),
        "target": active().target,
        **counts(splits),
        "languages": languages,
        "hub_id": read_published(dataset_dir),
    }


def _notes(metrics: dict, options: TrainOptions, reads: tuple[str, ...] | None) -> list[str]:
    """What train says once, in its own words: team examples left out, figures from too few
    claims, and languages the base model does not read."""
    from stancebank.models.data import foreign_labels
    from stancebank.models.metrics import TOO_FEW, too_few

    notes = []
    if options.team_examples and "team_examples" not in metrics["training"]["extra_examples"]:
        foreign = foreign_labels(options.team_examples, set(metrics["labels"]))
        notes.append(f"the team-written examples are labelled {', '.join(foreign)}, which this "
                     "release's labels are not: trained without them")  # fmt: skip
    for name in ("test", "validation"):
        if name in metrics and too_few(metrics[name]["n"]):
            n = metrics[name]["n"]
            notes.append(f"the {name} split has {n} claims: its figures are too few to judge "
                         f"(fewer than {TOO_FEW}; read the intervals)")  # fmt: skip
    unread = sorted(set(metrics["release"]["languages"]) - set(reads or ()))
    if reads is not None and unread:
        notes.append(f"the data has {', '.join(unread)} claims, but {options.base_model} reads "
                     f"{', '.join(reads)}: pass a multilingual encoder with --base-model (README, "
                     "'Languages')")  # fmt: skip
    return notes


def train_and_report(
    dataset_dir: Path,
    out_dir: Path,
    options: TrainOptions,
    *,
    cv: bool = True,
    ood_data: Path | None = None,
    progress: bool = True,
) -> dict:
    """Train, score on validation and test, on an out-of-domain labelled file and by
    grouped CV of the recipe, put baselines beside it; write the model folder (replaced only
    when complete) and return its metrics."""
    from stancebank.models.predict import load_classifier, predict_proba

    splits = load_splits(dataset_dir)
    train = require_split(splits, "train", dataset_dir)
    validation, test = splits.get("validation"), splits.get("test")
    names = train.label_names
    texts, labels, questions, added = training_examples(train, options)
    n = len(train.texts)
    extra = (texts[n:], labels[n:], questions[n:])
    loaded = [s for s in (train, validation, test) if s is not None]
    # One encoder and one forward pass per text for the baselines, the sentence head and
    # its grouped CV: every release and extra text is embedded here, once.
    embedder = sentence_embedder(options)
    release_texts = concat(loaded).texts
    embedder([*release_texts, *extra[0]], progress=progress)
    with staged_directory(out_dir, command="train") as staging:
        training = train_model(
            texts, labels, validation, names, staging, options, groups=train.groups,
            questions=questions, embedder=embedder, progress=progress,
        )  # fmt: skip
        training.update(
            train_examples=len(train.texts), extra_examples=added,
            seed=options.seed,
        )  # fmt: skip
        from stancebank.dataset.project import active
        from stancebank.models.base import base_languages

        reads = base_languages(options.base_model, active().model.get("languages") or ())
        version = record_version(staging, options.base_model, reads)
        classifier = load_classifier(str(staging))
        metrics: dict = {"labels": list(names), "model_version": version, "training": training}
        for name, split in (("validation", validation), ("test", test)):
            if split is not None:
                probs = predict_proba(classifier, split.texts, questions=split.questions)
                predicted = [names[i] for i in probs.argmax(axis=1)]
                scored = present_labels(split.labels, predicted, names)
                metrics[name] = classification_metrics(split.labels, predicted, scored)
        vectors = dict(zip(release_texts + extra[0],
                           embedder([*release_texts, *extra[0]]), strict=True))  # fmt: skip
        if cv and (recipe_cv := _recipe_cv(options, loaded, extra, names, embedder)):
            metrics["cv"] = recipe_cv
        if ood := _out_of_domain(staging, ood_data):
            metrics["ood"] = ood
        metrics["baselines"] = _baselines(loaded, train, test, extra, names, vectors, cv)
        metrics["baselines"]["this model"] = {
            "test_macro_f1": metrics.get("test", {}).get("macro_f1")
        }
        metrics["release"] = release_facts(dataset_dir)
        metrics["polar"] = list(load_schema().polar_values)
        metrics["reads_languages"] = list(reads) if reads is not None else None
        metrics["notes"] = _notes(metrics, options, reads)
        card = None
        if "test" in metrics:
            card = model_card(metrics, base_model=options.base_model)
        write_results(staging, metrics, card)
    return metrics
