"""The Label Studio JSON contract, in one place: label config, tasks, predictions, results.

Pure functions over plain data: the config is generated from the schema, tasks from
claim records, and annotation results are read back against the same schema, so a round
trip through a real server is tested in ``tests/test_label_studio.py``.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any, TypedDict
from xml.sax.saxutils import quoteattr

from stancebank.dataset.schema import Schema

CLAIM_TAG = "claim"
ANSWER_TAG = "answer"


class ParsedResult(TypedDict):
    stance: str | None
    aspects: list[str]
    rationale: str


def stance_choices(schema: Schema) -> str:
    """One ``<Choice>`` per stance, with its hotkey and definition as the hint."""
    return "\n".join(
        f"    <Choice value={quoteattr(s.value)} hotkey={quoteattr(s.hotkey)} "
        f"hint={quoteattr(s.definition)}/>"
        for s in schema.stances
    )


def hotkeys_text(schema: Schema) -> str:
    """The stances' keys as a header says them: "1-4", or "s, o, n"."""
    hotkeys = [s.hotkey for s in schema.stances]
    numbered = hotkeys == [str(i) for i in range(1, len(hotkeys) + 1)]
    return f"1-{len(hotkeys)}" if numbered and len(hotkeys) > 1 else ", ".join(hotkeys)


def label_config(schema: Schema) -> str:
    """The project's XML: question, respondent, claim, answer with the claim marked,
    one key press per stance, optional aspects and rationale."""
    stances = stance_choices(schema)
    keys = hotkeys_text(schema)
    aspects = "\n".join(f"    <Choice value={quoteattr(a.title)}/>" for a in schema.aspects)
    return f"""<View>
  <Style>.sb-answer mark {{ background: #ffe066; padding: 0 2px; }}
  .sb-answer p {{ margin: 0 0 0.6em 0; }}</Style>
  <Header value="$question" size="4"/>
  <Header value="$heading" size="6"/>
  <Text name="{CLAIM_TAG}" value="$claim"/>
  <Header value={quoteattr(f"Stance toward {schema.target} (keys {keys})")} size="6"/>
  <Choices name="{schema.stance_name}" toName="{CLAIM_TAG}" choice="single" required="true"
           showInline="true">
{stances}
  </Choices>
  <Header value="Aspects (optional)" size="6"/>
  <Choices name="{schema.aspect_name}" toName="{CLAIM_TAG}" choice="multiple" showInline="true">
{aspects}
  </Choices>
  <TextArea name="{schema.rationale_name}" toName="{CLAIM_TAG}" rows="2" maxSubmissions="1"
            editable="true" placeholder="Rationale (optional)"/>
  <Header value="The whole answer, the claim highlighted" size="6"/>
  <View className="sb-answer">
    <HyperText name="{ANSWER_TAG}" value="$answer_html"/>
  </View>
</View>
"""


def answer_html(text: str, start: int, end: int) -> str:
    """The answer as HTML paragraphs with ``text[start:end]`` inside ``<mark>``."""
    marked = (
        html.escape(text[:start]) + "<mark>" + html.escape(text[start:end]) + "</mark>"
        + html.escape(text[end:])
    )  # fmt: skip
    paragraphs = [p.strip() for p in marked.split("\n\n") if p.strip()]
    return "".join(f"<p>{p}</p>" for p in paragraphs)


def _heading(claim: Mapping[str, Any]) -> str:
    """ "Respondent R2 · question 3" (ids end in ``-q<number>``; others are shown as they are)."""
    _, _, number = claim["question_id"].rpartition("-q")
    question = f"question {number}" if number.isdigit() else claim["question_id"]
    return f"Respondent {claim['respondent']} · {question}"


def task_for(claim: Mapping[str, Any], answer_text: str) -> dict[str, Any]:
    """One Label Studio task for one claim unit."""
    return {
        "data": {
            "claim_id": claim["claim_id"],
            "answer_id": claim["answer_id"],
            "question_id": claim["question_id"],
            "document_id": claim["document_id"],
            "respondent": claim["respondent"],
            "unit": claim.get("unit", "claim"),
            "question": claim["question"],
            "heading": _heading(claim),
            "claim": claim["text"],
            "answer_html": answer_html(answer_text, claim["start"], claim["end"]),
        }
    }


def prediction_for(
    schema: Schema, label: str, *, score: float, model_version: str
) -> dict[str, Any]:
    """A pre-annotation: the model's stance as a Choices result."""
    return {
        "model_version": model_version,
        "score": float(score),
        "result": annotation_result(schema, label),
    }


def annotation_result(
    schema: Schema, stance: str, *, aspects: Sequence[str] = (), rationale: str = ""
) -> list[dict[str, Any]]:
    """The result list an annotator's submission produces (used to record annotations
    through the API and in tests)."""
    titles = {a.value: a.title for a in schema.aspects}
    result: list[dict[str, Any]] = [
        {
            "from_name": schema.stance_name,
            "to_name": CLAIM_TAG,
            "type": "choices",
            "value": {"choices": [stance]},
        }
    ]
    if aspects:
        result.append(
            {
                "from_name": schema.aspect_name,
                "to_name": CLAIM_TAG,
                "type": "choices",
                "value": {"choices": [titles[a] for a in aspects]},
            }
        )
    if rationale:
        result.append(
            {
                "from_name": schema.rationale_name,
                "to_name": CLAIM_TAG,
                "type": "textarea",
                "value": {"text": [rationale]},
            }
        )
    return result


def parse_result(schema: Schema, result: Sequence[Mapping[str, Any]]) -> ParsedResult:
    """Stance, aspects (schema values) and rationale from an annotation's result list.

    Raises:
        ValueError: a stance or aspect the schema does not know.
    """
    by_title = {a.title: a.value for a in schema.aspects}
    by_title.update({a.value: a.value for a in schema.aspects})
    parsed = ParsedResult(stance=None, aspects=[], rationale="")
    for item in result:
        name, value = item.get("from_name"), item.get("value") or {}
        if name == schema.stance_name:
            choices = value.get("choices") or []
            if choices and choices[0] not in schema.stance_values:
                raise ValueError(f"unknown stance '{choices[0]}'")
            parsed["stance"] = choices[0] if choices else None
        elif name == schema.aspect_name:
            unknown = [c for c in value.get("choices") or [] if c not in by_title]
            if unknown:
                raise ValueError(f"unknown aspect '{unknown[0]}'")
            parsed["aspects"] = [by_title[c] for c in value.get("choices") or []]
        elif name == schema.rationale_name:
            parsed["rationale"] = " ".join(value.get("text") or []).strip()
    return parsed
