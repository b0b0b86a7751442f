"""The dataset card: YAML metadata (``huggingface_hub.DatasetCardData``, its
``dataset_info`` from ``datasets``' own ``DatasetInfo``) and datasheet sections filled from
the data, the build report and the project (its target, labels and card facts). No dates or
paths: the same build, the same bytes."""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from pathlib import Path

from datasets import DatasetDict
from huggingface_hub import DatasetCardData

from stancebank.dataset.build import BuildReport
from stancebank.dataset.errors import InputError
from stancebank.dataset.languages import language as language_of
from stancebank.dataset.languages import normalise
from stancebank.dataset.schema import LabelNames
from stancebank.dataset.splits import SPLITS

_USER_TEXT = "STANCEBANK-USER-TEXT-0c5d"
"""Stands in for every text a user wrote (card facts, label definitions) when the card is
rendered to see which of its lines stancebank's template alone wrote."""


@dataclass
class CardInfo:
    """What the card cannot work out from the data: the project file's ``[card]`` (and, for
    older folders, ``card.json`` beside the annotations). Every field optional."""

    pretty_name: str = ""
    """The card's title (default: "Stance toward TARGET")."""
    license: str = ""
    """An SPDX id the Hub knows (``cc-by-4.0``), or ``other`` with ``license_name`` and
    ``license_link``; empty: no licence stated (``publish`` refuses that)."""
    license_name: str = ""
    license_link: str = ""
    license_details: str = ""
    """More about the terms, printed under the licence."""
    source: str = "Interview answers ingested with stancebank."
    annotators: str = "Not stated. Say who annotated, with what background, and how."
    annotations_creators: str = "other"
    citation: str = ""
    limitations: str = ""

    @classmethod
    def from_project(cls, card: dict[str, str], annotations: Path | None = None
                     ) -> tuple[CardInfo, list[str]]:  # fmt: skip
        """The project's card facts, completed from a ``card.json`` in ``annotations`` (read
        with a deprecation note); the notes to show."""
        notes: list[str] = []
        values = {k: v for k, v in card.items() if v}
        legacy = Path(annotations) / "card.json" if annotations else None
        if legacy is not None and legacy.exists():
            notes.append(f"{legacy}: card.json is deprecated; move its facts to [card] in "
                         "stancebank.toml (read for now, the project file wins)")  # fmt: skip
            values = {**cls._read_json(legacy), **values}
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise InputError(legacy or "stancebank.toml", f"unknown card field '{unknown[0]}' "
                             f"(valid: {', '.join(sorted(known))})")  # fmt: skip
        return cls(**values), notes

    @staticmethod
    def _read_json(path: Path) -> dict[str, str]:
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as error:
            raise InputError(path, f"not valid JSON ({error.msg})", line=error.lineno) from None
        if not isinstance(raw, dict):
            raise InputError(path, "expected a JSON object of card fields")
        return {k: v for k, v in raw.items() if v}

    def title(self, target: str) -> str:
        return self.pretty_name or f"Stance toward {target}"

    @property
    def licensed(self) -> bool:
        return bool(self.license and (self.license != "other" or self.license_name))

    def license_text(self) -> str:
        """The License section, from the same value as the YAML's."""
        if self.license and self.license != "other":
            name = SPDX_NAMES.get(self.license.lower())
            statement = f"{name} (`{self.license}`)." if name else f"`{self.license}`."
        elif self.license_name:
            link = f" ({self.license_link})" if self.license_link else ""
            statement = f"Terms of their own: {self.license_name}{link}."
        else:
            statement = ("Not stated. Say under which terms the texts and labels may be used "
                         "(`[card] license` in stancebank.toml).")  # fmt: skip
        return statement + (f"\n\n{self.license_details}" if self.license_details else "")


SPDX_NAMES = {
    "cc-by-4.0": "Creative Commons Attribution 4.0 International",
    "cc-by-sa-4.0": "Creative Commons Attribution-ShareAlike 4.0 International",
    "cc-by-nc-4.0": "Creative Commons Attribution-NonCommercial 4.0 International",
    "cc0-1.0": "Creative Commons Zero 1.0 (public domain dedication)",
    "odc-by": "Open Data Commons Attribution License",
    "apache-2.0": "Apache License 2.0",
    "mit": "MIT License",
}
"""Names for the licences a dataset card most often states (others print as their id)."""
_DEFAULT_LIMITATIONS = (
    "The data is small and comes from few respondents; labels reflect the guidelines "
    "and the annotators named above."
)
SMALL_SPLIT = 20
"""Fewer claims than this in a split (or one class only) is said out loud by build."""


def _size_category(n: int) -> str:
    for limit, name in ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K")):
        if n < limit:
            return name
    return "100K<n<1M"


def card_metadata(
    splits: DatasetDict, report: BuildReport, info: CardInfo, target: str
) -> DatasetCardData:
    from datasets import DatasetInfo, SplitDict, SplitInfo
    from datasets.info import DatasetInfosDict

    total = sum(report.rows.values())
    present = [name for name in SPLITS if name in splits]
    languages = sorted({normalise(lang) for lang in report.languages}) or ["en"]
    license_fields = (
        {"license": info.license} if info.licensed and info.license != "other"
        else {"license": "other", "license_name": info.license_name,
              "license_link": info.license_link or None} if info.licensed
        else {"license": "unknown"}
    )  # fmt: skip
    card = DatasetCardData(
        pretty_name=info.title(target),
        **{k: v for k, v in license_fields.items() if v is not None},
        language=languages,
        task_categories=["text-classification"],
        task_ids=["multi-class-classification"],
        size_categories=[_size_category(total)],
        annotations_creators=[info.annotations_creators],
        language_creators=["found"],
        multilinguality=["monolingual" if len(languages) <= 1 else "multilingual"],
        source_datasets=["original"],
        configs=[
            {
                "config_name": "default",
                "data_files": [
                    {"split": name, "path": f"data/{name}-*.parquet"} for name in present
                ],
            }
        ],
    )
    split_infos = SplitDict()
    for name in present:
        split_infos.add(SplitInfo(name=name, num_bytes=splits[name].data.nbytes,
                                  num_examples=report.rows[name]))  # fmt: skip
    info_yaml = DatasetInfo(features=splits[present[0]].features, splits=split_infos)
    DatasetInfosDict({"default": info_yaml}).to_dataset_card_data(card)
    return card


def counts(splits: DatasetDict) -> dict[str, int]:
    """Documents, respondents, answers and claims in the release."""
    rows = [row for split in splits.values() for row in split]
    return {
        "documents": len({r["document_id"] for r in rows}),
        "respondents": len({(r["document_id"], r["respondent"]) for r in rows}),
        "answers": len({r["answer_id"] for r in rows}),
        "claims": len(rows),
    }


def small_splits(report: BuildReport) -> list[str]:
    """Splits too small to judge a model on: fewer than :data:`SMALL_SPLIT` claims, or one
    class only."""
    notes = []
    for name in SPLITS:
        n = report.rows.get(name, 0)
        classes = sum(1 for c in report.label_counts.get(name, {}).values() if c)
        if n and (n < SMALL_SPLIT or classes < 2):
            why = f"{n} claims" + (", one class only" if classes < 2 else "")
            notes.append(f"the {name} split has {why}")
    return notes


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


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _languages_text(report: BuildReport) -> str:
    codes = sorted({normalise(lang) for lang in report.languages}) or ["en"]
    names = [f"{language_of(c).name} (`{c}`)" if language_of(c).name != c else f"`{c}`"
             for c in codes]  # fmt: skip
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" and {names[-1]}"


def _composition(n: dict[str, int], report: BuildReport) -> str:
    return (f"{_plural(n['claims'], 'labelled argumentative unit')} from "
            f"{_plural(n['answers'], 'answer')} of {_plural(n['respondents'], 'respondent')} "
            f"in {_plural(n['documents'], 'document')}, in {_languages_text(report)}.")  # fmt: skip


def render_card(
    splits: DatasetDict, report: BuildReport, labels: LabelNames, info: CardInfo, target: str
) -> str:
    metadata = card_metadata(splits, report, info, target).to_yaml()
    definitions = "\n".join(
        f"| `{s}` | {d} |" for s, d in zip(labels.stances, labels.definitions, strict=True)
    )
    n = counts(splits)
    small = small_splits(report)
    small_text = (
        "\n\nToo few claims to judge a model on: " + "; ".join(small) + "." if small else ""
    )
    return f"""---
{metadata}
---

# {info.title(target)}

Claims from interview answers, each labelled for its stance toward {target}:
{_names(labels.stances)} (defined under "Composition").
Built with stancebank from the sources and annotation snapshots named below.

## Motivation

To know, claim by claim, what people argue about {target}, and to train and
evaluate stance classifiers on real interview language rather than on headlines.

## Composition

{_composition(n, report)}
One row per unit: its text, the question it answers, the whole answer it comes from
(`context`), the respondent's pseudonym, the aggregated `stance`, optional `aspects`, and
every annotator's label.

{_label_table(report, labels)}

| stance | meaning |
|---|---|
{definitions}

Splits are grouped by **{report.options.group_by}** (no {report.options.group_by} is in two
splits, since its claims share context), stratified by stance as far as the groups allow,
seed {report.options.seed}.{small_text}

## Collection and segmentation

{info.source}

Answers were split into argumentative units by `stancebank segment`: sentences
(sentencex) plus a split before a contrastive marker that opens a new clause (", but they
…", "; however, …"). Placeholders, pointers to other answers and bare numbering are
`non_argument` units and are not in the dataset.

## Annotation process

{info.annotators}

Annotators followed the project's annotation guidelines (definitions, decision rules for
hard cases, examples) in a Label Studio project showing the question, the claim and the
whole answer with the claim highlighted. Each annotator's latest annotation of a claim
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

Training and evaluating stance classifiers on argumentative text about {target};
studying which arguments people raise about it, and how often.

## Out-of-scope uses

Inferring anything about the identity, nationality or politics of individual respondents;
treating the label distribution as representative of any population.

## Limitations and biases

{info.limitations or _DEFAULT_LIMITATIONS}

## License

{info.license_text()}

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
    card = render_card(splits, report, masked, info, _USER_TEXT)
    return frozenset(line for line in card.splitlines() if _USER_TEXT not in line)
