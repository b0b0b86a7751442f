"""The dataset card: YAML metadata (``huggingface_hub.DatasetCardData``) and datasheet
sections filled from the build report. No dates or paths: the same build, the same bytes."""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from pathlib import Path

from datasets import DatasetDict
from huggingface_hub import DatasetCardData

from stancebank.dataset.build import BuildReport
from stancebank.dataset.errors import InputError
from stancebank.dataset.schema import LabelNames
from stancebank.dataset.splits import SPLITS

_USER_TEXT = "STANCEBANK-USER-TEXT-0c5d"
"""Stands in for every text a user wrote (card facts, label definitions) when the card is
rendered to see which of its lines stancebank's template alone wrote."""


@dataclass
class CardInfo:
    """What the card cannot work out from the data; read from ``card.json`` beside the
    annotations (every field optional)."""

    pretty_name: str = "stancebank stance dataset"
    license: str = "other"
    license_details: str = (
        "Not stated. Say under which terms the source texts and labels may be used."
    )
    source: str = "Interview answers ingested with stancebank."
    annotators: str = "Not stated. Say who annotated, with what background, and how."
    annotations_creators: str = "other"
    citation: str = ""
    limitations: str = ""

    @classmethod
    def load(cls, path: Path) -> CardInfo:
        if not path.exists():
            return cls()
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as error:
            raise InputError(path, f"not valid JSON ({error.msg})", line=error.lineno) from None
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(raw) - known)
        if unknown:
            raise InputError(path, f"unknown card field '{unknown[0]}'")
        return cls(**raw)


_DEFAULT_LIMITATIONS = (
    "The data is small and comes from few respondents; labels reflect the guidelines "
    "and the annotators named above."
)


def _size_category(n: int) -> str:
    for limit, name in ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K")):
        if n < limit:
            return name
    return "100K<n<1M"


def card_metadata(splits: DatasetDict, report: BuildReport, info: CardInfo) -> DatasetCardData:
    total = sum(report.rows.values())
    present = [name for name in SPLITS if name in splits]
    features = splits[present[0]].features._to_yaml_list()
    return DatasetCardData(
        pretty_name=info.pretty_name,
        license=info.license,
        language=report.languages or ["en"],
        task_categories=["text-classification"],
        task_ids=["multi-class-classification"],
        size_categories=[_size_category(total)],
        annotations_creators=[info.annotations_creators],
        language_creators=["found"],
        multilinguality=["monolingual" if len(report.languages) <= 1 else "multilingual"],
        source_datasets=["original"],
        configs=[
            {
                "config_name": "default",
                "data_files": [
                    {"split": name, "path": f"data/{name}-*.parquet"} for name in present
                ],
            }
        ],
        dataset_info={
            "features": features,
            "splits": [{"name": name, "num_examples": report.rows[name]} for name in present],
        },
    )


def _names(stances: tuple[str, ...]) -> str:
    """``**a**, **b** or **c**``."""
    bold = [f"**{s}**" for s in stances]
    return bold[0] if len(bold) == 1 else ", ".join(bold[:-1]) + f" or {bold[-1]}"


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _label_table(report: BuildReport, labels: LabelNames) -> str:
    header = "| split | " + " | ".join(labels.stances) + " | total |"
    rule = "|---" * (len(labels.stances) + 2) + "|"
    lines = [header, rule]
    for name in SPLITS:
        counts = report.label_counts[name]
        cells = " | ".join(str(counts[s]) for s in labels.stances)
        lines.append(f"| {name} | {cells} | {report.rows[name]} |")
    totals = " | ".join(str(sum(report.label_counts[n][s] for n in SPLITS)) for s in labels.stances)
    lines.append(f"| all | {totals} | {sum(report.rows.values())} |")
    return "\n".join(lines)


def _agreement_text(report: BuildReport, labels: LabelNames) -> str:
    ag = report.agreement
    lines = [
        f"- Annotators: {len(ag.annotators)} ({', '.join(ag.annotators) or 'none'}); "
        f"claims with two or more annotations: {ag.units}.",
        f"- Krippendorff's alpha (nominal): {_fmt(ag.alpha)}; observed pairwise agreement: "
        f"{_fmt(ag.observed)}.",
    ]
    for pair, kappa in sorted(ag.pairwise_kappa.items()):
        lines.append(f"- Cohen's kappa {pair}: {_fmt(kappa)}.")
    if ag.per_label:
        per = ", ".join(f"{s} {_fmt(ag.per_label.get(s))}" for s in labels.stances)
        lines.append(f"- Specific agreement per label: {per}.")
    lines.append(
        f"- Claims decided by adjudication: {report.adjudicated}; unresolved ties left out: "
        f"{len(report.ties_left_out)}."
    )
    table = ["", "| annotator | " + " | ".join(labels.stances) + " |",
             "|---" * (len(labels.stances) + 1) + "|"]  # fmt: skip
    for name in ag.annotators:
        counts = ag.per_annotator.get(name, {})
        table.append(
            f"| {name} | " + " | ".join(str(counts.get(s, 0)) for s in labels.stances) + " |"
        )
    return "\n".join(lines + table)


def render_card(
    splits: DatasetDict, report: BuildReport, labels: LabelNames, info: CardInfo
) -> str:
    metadata = card_metadata(splits, report, info).to_yaml()
    definitions = "\n".join(
        f"| `{s}` | {d} |" for s, d in zip(labels.stances, labels.definitions, strict=True)
    )
    total = sum(report.rows.values())
    return f"""---
{metadata}
---

# {info.pretty_name}

Claims from interview answers, each labelled for its stance toward surveillance:
{_names(labels.stances)} (defined under "Composition").
Built with stancebank from the sources and annotation snapshots named below.

## Motivation

To know, claim by claim, what people argue about surveillance, and to train and
evaluate stance classifiers on real interview language rather than on headlines.

## Composition

{total} labelled argumentative units. One row per unit: its text, the question it
answers, the whole answer it comes from (`context`), the respondent's pseudonym, the
aggregated `stance`, optional `aspects`, and every annotator's label.

{_label_table(report, labels)}

| stance | meaning |
|---|---|
{definitions}

Splits are grouped by **{report.options.group_by}** (no {report.options.group_by} is in two
splits, since its claims share context), stratified by stance as far as the groups allow,
seed {report.options.seed}.

## Collection and segmentation

{info.source}

Answers were split into argumentative units by `stancebank segment`: sentences
(sentencex) plus a split before a contrastive marker that opens a new clause (", but they
…", "; however, …"). Placeholders, pointers to other answers and bare numbering are
`non_argument` units and are not in the dataset.

## Annotation process

{info.annotators}

Annotators followed `labeling/GUIDELINES.md` of stancebank (definitions, decision rules
for hard cases, examples) in a Label Studio project showing the question, the claim and
the whole answer with the claim highlighted. Each annotator's latest annotation of a claim
counts; cancelled annotations are ignored; the stance is the majority, and an adjudication
decides disagreements.

{_agreement_text(report, labels)}

## Preprocessing

Text is kept as published (including typos, curly quotes and non-breaking spaces).
Respondents' names never enter the data: respondents are `R1`, `R2`, … per document and
annotators `A1`, `A2`, ….

## Privacy

Respondents are anonymous. Before publishing, stancebank scans every text field for
e-mail addresses, phone numbers, URLs, ID-like numbers and listed names, and refuses to
upload if it finds any.

## Intended uses

Training and evaluating stance classifiers on argumentative text about surveillance;
studying which benefits and harms people raise.

## Out-of-scope uses

Inferring anything about the identity, nationality or politics of individual respondents;
treating the label distribution as representative of any population.

## Limitations and biases

{info.limitations or _DEFAULT_LIMITATIONS}

## License

{info.license_details}

## Citation

{info.citation or "Cite the source interview and this dataset's repository."}
"""


def template_lines(dataset_dir: str | Path) -> frozenset[str]:
    """The lines of a release's card that stancebank's own template wrote: the card rendered
    again from the release's data and build report with every user-written text (the card
    facts, the label definitions) masked, minus the lines the masks reached. The privacy
    gate does not scan these as data. Empty (so every line is scanned) when the release
    cannot be rendered again."""
    from stancebank.dataset.release import read_build_report, read_release
    from stancebank.dataset.schema import label_names

    try:
        report = BuildReport.from_dict(read_build_report(dataset_dir))
        splits = read_release(dataset_dir)
    except (InputError, TypeError, KeyError, ValueError):
        return frozenset()
    labels = label_names()
    masked = LabelNames(stances=labels.stances, aspects=labels.aspects,
                        definitions=tuple(_USER_TEXT for _ in labels.definitions))  # fmt: skip
    info = CardInfo(**{f.name: _USER_TEXT for f in fields(CardInfo)})
    card = render_card(splits, report, masked, info)
    return frozenset(line for line in card.splitlines() if _USER_TEXT not in line)
