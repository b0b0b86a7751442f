"""A team in Label Studio: annotator accounts, the project's overlap, and how far the
team is (done, per annotator, agreement so far, disagreements waiting) — read from the
server, not from files.

Passwords are generated here and written to a 0600 file beside the server's own
credentials, never printed. Status shows annotators under the pseudonyms of the
annotations folder's ``annotators.json`` (as in snapshots), read-only.
"""

from __future__ import annotations

import json
import secrets
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from stancebank.dataset.aggregate import latest_per_annotator
from stancebank.dataset.agreement import agreement_report
from stancebank.dataset.annotations_io import AnnotationRecord, annotations_from_records
from stancebank.dataset.errors import InputError
from stancebank.labeling.paths import write_private

ANNOTATOR_CREDENTIALS_FILE = "annotator-credentials.json"
"""``{e-mail: password}`` of the accounts stancebank created, 0600, beside credentials.json."""


def check_emails(emails: Iterable[str]) -> list[str]:
    """The addresses, lower-cased, each checked with ``email-validator`` (syntax only: no
    network; a domain of a local network, ``.local``, is allowed) before any server call."""
    from email_validator import EmailNotValidError, validate_email

    checked = []
    for email in emails:
        try:
            valid = validate_email(email.strip(), check_deliverability=False,
                                   globally_deliverable=False)  # fmt: skip
        except EmailNotValidError as error:
            raise InputError(email, f"not an e-mail address ({error})") from None
        checked.append(valid.normalized.lower())
    return sorted(set(checked), key=checked.index)


def save_passwords(path: Path, passwords: dict[str, str]) -> None:
    """Add passwords to the 0600 file (created 0600, written atomically)."""
    known: dict[str, str] = {}
    if path.exists():
        try:
            known = json.loads(path.read_text(encoding="utf-8"))
        except ValueError:
            raise InputError(path, "not an annotator credentials file") from None
    known.update(passwords)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    write_private(path, json.dumps(known, indent=1))


def forget_password(path: Path, email: str) -> None:
    """Take an address out of the file again (its account was not made)."""
    if not path.exists():
        return
    known = json.loads(path.read_text(encoding="utf-8"))
    if known.pop(email, None) is not None:
        write_private(path, json.dumps(known, indent=1))


def new_password() -> str:
    return secrets.token_urlsafe(15)


@dataclass
class TeamStatus:
    project: str
    tasks: int
    """Tasks in the project."""
    done: int
    """Tasks with at least one (not cancelled) annotation."""
    per_annotator: dict[str, int]
    """Tasks each annotator has labelled (pseudonyms)."""
    overlapping: int
    """Tasks with two or more annotators."""
    alpha: float | None
    """Krippendorff's alpha (nominal) on the overlapping tasks so far."""
    pairwise_kappa: dict[str, float | None] = field(default_factory=dict)
    disagreements: int = 0
    """Overlapping tasks whose annotators disagree and that no adjudication settles."""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def team_status(
    project: str,
    tasks: int,
    records: Sequence[AnnotationRecord],
    stances: Sequence[str],
    *,
    adjudicated: Iterable[str] = (),
) -> TeamStatus:
    """How far the team is, from one annotation record per annotation (pure)."""
    latest = latest_per_annotator(annotations_from_records(records))
    agreement = agreement_report(latest, stances)
    settled = set(adjudicated)
    disagreements = sum(
        1
        for claim, per_annotator in latest.items()
        if len({a.stance for a in per_annotator.values()}) > 1 and claim not in settled
    )
    per_annotator = Counter(name for per_claim in latest.values() for name in per_claim)
    return TeamStatus(
        project=project,
        tasks=tasks,
        done=sum(1 for per_claim in latest.values() if per_claim),
        per_annotator=dict(sorted(per_annotator.items(), key=lambda kv: _pseudonym_order(kv[0]))),
        overlapping=agreement.units,
        alpha=agreement.alpha,
        pairwise_kappa=agreement.pairwise_kappa,
        disagreements=disagreements,
    )


def _pseudonym_order(name: str) -> tuple[int, str]:
    digits = name[1:]
    return (int(digits), name) if name[:1] == "A" and digits.isdigit() else (10**9, name)
