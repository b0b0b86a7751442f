"""Adjudication in the browser: a review project that holds only the claims whose
annotators disagree, and the adjudications read back from it (pure functions).

Each review task shows the claim, its answer with the claim highlighted, every
annotator's stance and rationale side by side (pseudonyms only), and the guideline rules;
the adjudicator picks the final stance and the rule that decided it. A task is keyed by
the claim and the exact votes it shows, so a claim that is labelled again after it was
adjudicated comes back as a new task, and the earlier decision no longer counts.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Iterable, Mapping, Sequence
from importlib.resources import files
from typing import Any
from xml.sax.saxutils import quoteattr

from stancebank.dataset.aggregate import latest_per_annotator
from stancebank.dataset.annotations_io import AnnotationRecord, annotations_from_records
from stancebank.dataset.schema import Schema
from stancebank.labeling.ls_contract import hotkeys_text, stance_choices

RULE_NAME = "rule"
"""The review config's Choices for the guideline rule that decided."""
STANCE_TAG = "final"
_RULE_LINE = re.compile(r"^(\d+)\.\s+\*\*(.+?)\*\*")


def review_title(project: str) -> str:
    """The review project's title (Label Studio allows 50 characters)."""
    return f"{project[:43]} review"


def guidelines_text() -> str:
    """The active project's guidelines, else the default ones."""
    from stancebank.dataset.project import active

    own = active().guidelines
    if own is not None:
        return own.read_text(encoding="utf-8")
    return files("stancebank.labeling").joinpath("GUIDELINES.md").read_text("utf-8")


def guideline_rules(text: str | None = None) -> list[tuple[str, str]]:
    """``(number, title)`` of each decision rule in the project's ``GUIDELINES.md``, else in
    stancebank's default guidelines (labeling/GUIDELINES.md)."""
    if text is None:
        text = guidelines_text()
    return [(m[1], m[2].rstrip(".")) for line in text.splitlines() if (m := _RULE_LINE.match(line))]


def rule_choice(number: str, title: str) -> str:
    return f"Rule {number}: {title}"


def review_config(schema: Schema, rules: Sequence[tuple[str, str]]) -> str:
    """The review project's XML: the claim, the votes, the answer, the final stance and
    the deciding rule; the rules listed for reference."""
    stances = stance_choices(schema)
    choices = [*(rule_choice(n, t) for n, t in rules), "Stance definitions only"]
    rule_options = "\n".join(f"    <Choice value={quoteattr(c)}/>" for c in choices)
    return f"""<View>
  <Style>.sb-answer mark {{ background: #ffe066; padding: 0 2px; }}
  .sb-votes td, .sb-votes th {{ padding: 2px 10px; text-align: left; }}</Style>
  <Header value="$question" size="4"/>
  <Header value="$heading" size="6"/>
  <Text name="{STANCE_TAG}_claim" value="$claim"/>
  <Header value="What the annotators said" size="6"/>
  <View className="sb-votes">
    <HyperText name="votes" value="$votes_html"/>
  </View>
  <Header value="Final stance (keys {hotkeys_text(schema)})" size="6"/>
  <Choices name="{STANCE_TAG}" toName="{STANCE_TAG}_claim" choice="single" required="true"
           showInline="true">
{stances}
  </Choices>
  <Header value="The guideline rule that decides it" size="6"/>
  <Choices name="{RULE_NAME}" toName="{STANCE_TAG}_claim" choice="single" required="true">
{rule_options}
  </Choices>
  <Header value="The whole answer, the claim highlighted" size="6"/>
  <View className="sb-answer">
    <HyperText name="answer" value="$answer_html"/>
  </View>
</View>
"""


def current_votes(records: Sequence[AnnotationRecord]) -> dict[str, list[AnnotationRecord]]:
    """Each claim's latest (non-cancelled) record per annotator, annotators sorted."""
    latest = latest_per_annotator(annotations_from_records(records))
    by_key = {(r["claim_id"], r["annotator"], str(r["updated_at"] or r["created_at"] or "")): r
              for r in records}  # fmt: skip
    return {
        claim: [by_key[(claim, name, a.updated_at)] for name, a in sorted(per.items())]
        for claim, per in latest.items()
    }


def votes_key(votes: Sequence[AnnotationRecord]) -> str:
    """A short fingerprint of exactly these votes (Label Studio's annotation ids, stances
    and times: the same whichever pseudonyms the annotators get)."""
    text = "|".join(
        f"{v['ls_annotation_id']}={v['stance']}@{v['updated_at'] or v['created_at']}"
        for v in sorted(votes, key=lambda v: v["ls_annotation_id"] or 0)
    )
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def votes_html(votes: Sequence[AnnotationRecord]) -> str:
    rows = "".join(
        f"<tr><td>{html.escape(v['annotator'])}</td><td><b>{html.escape(str(v['stance']))}</b>"
        f"</td><td>{html.escape(v['rationale'] or '')}</td></tr>"
        for v in votes
    )
    return f"<table><tr><th>annotator</th><th>stance</th><th>rationale</th></tr>{rows}</table>"


def review_tasks(
    records: Sequence[AnnotationRecord],
    main_tasks: Mapping[str, Mapping[str, Any]],
    have: Iterable[tuple[str, str]] = (),
) -> list[dict[str, Any]]:
    """Review tasks for the claims whose annotators disagree now, skipping the
    ``(claim_id, votes_key)`` pairs the review project already has.

    Args:
        main_tasks: ``{claim_id: task data}`` of the labelling project (question, answer…).
    """
    present = set(have)
    tasks = []
    for claim, votes in sorted(current_votes(records).items()):
        if len({v["stance"] for v in votes}) < 2:
            continue
        key = votes_key(votes)
        if (claim, key) in present or claim not in main_tasks:
            continue
        data = main_tasks[claim]
        tasks.append({"data": {
            "claim_id": claim, "votes_key": key, "question": data.get("question", ""),
            "heading": data.get("heading", ""), "claim": data.get("claim", ""),
            "answer_html": data.get("answer_html", ""), "votes_html": votes_html(votes),
        }})  # fmt: skip
    return tasks


def adjudications(
    review_export: Sequence[Mapping[str, Any]],
    records: Sequence[AnnotationRecord],
    schema: Schema,
    adjudicator: Any,
) -> list[dict[str, Any]]:
    """``adjudication.jsonl`` records from the review project's annotated tasks: the latest
    decision per claim, only where the votes it settled are still the claim's votes.

    Args:
        adjudicator: ``completed_by`` of an annotation → the adjudicator's pseudonym.
    """
    votes = {claim: votes_key(v) for claim, v in current_votes(records).items()}
    decided: dict[str, dict[str, Any]] = {}
    for task in review_export:
        data = task.get("data") or {}
        claim = data.get("claim_id")
        if not claim or votes.get(claim) != data.get("votes_key"):
            continue  # relabelled since: this decision settles votes that no longer stand
        for annotation in task.get("annotations") or []:
            if annotation.get("was_cancelled"):
                continue
            stance, rule = _decision(annotation.get("result") or [], schema)
            if stance is None:
                continue
            when = str(annotation.get("updated_at") or annotation.get("created_at") or "")
            if claim in decided and decided[claim]["adjudicated_at"] > when:
                continue
            decided[claim] = {
                "claim_id": claim, "stance": stance, "rule": rule,
                "note": f"adjudicated in Label Studio: {rule}" if rule else "adjudicated",
                "adjudicator": adjudicator(annotation.get("completed_by")),
                "adjudicated_at": when, "votes_key": data.get("votes_key"),
            }  # fmt: skip
    return [decided[c] for c in sorted(decided)]


def _decision(result: Sequence[Mapping[str, Any]], schema: Schema) -> tuple[str | None, str]:
    stance, rule = None, ""
    for item in result:
        choices = (item.get("value") or {}).get("choices") or []
        if item.get("from_name") == STANCE_TAG and choices and choices[0] in schema.stance_values:
            stance = choices[0]
        elif item.get("from_name") == RULE_NAME and choices:
            rule = choices[0]
    return stance, rule
