"""Where a model argument points: a local folder, or a Hugging Face Hub id looked up once.

transformers, given a name that is neither, retries the Hub several times before failing;
a user who mistyped a folder name should not wait for that. So a name that is not a folder
is looked up on the Hub once, with a short timeout, and with ``HF_HUB_OFFLINE=1`` not at all.
"""

from __future__ import annotations

import os
from pathlib import Path

from stancebank.dataset.errors import InputError, ServiceError

HUB_TIMEOUT = 10.0  # seconds for the one lookup


class HubUnreachable(ServiceError):
    """The Hub could not be asked (network): exit 1."""


def _offline() -> bool:
    return os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in {"1", "true", "yes", "on"}


def locate_model(name: str) -> str:
    """``name`` if it is a model folder or a Hub model id that exists; else InputError
    (one line; ``HubUnreachable`` when the Hub cannot be reached)."""
    path = Path(name)
    if path.is_dir():
        if not (path / "config.json").is_file():
            raise InputError(name, "is a folder but not a model folder (no config.json)")
        return name
    if path.exists():
        raise InputError(name, "is a file; expected a model folder or a Hub model id")
    looks_like_id = name.count("/") <= 1 and not name.startswith((".", "/", "~"))
    if not looks_like_id:
        raise InputError(name, "no such model folder")
    if _offline():
        raise InputError(name, "no such model folder (and HF_HUB_OFFLINE=1: the Hub is not asked)")
    from huggingface_hub import HfApi
    from huggingface_hub.errors import HfHubHTTPError, RepositoryNotFoundError

    try:
        HfApi().model_info(name, timeout=HUB_TIMEOUT)
    except RepositoryNotFoundError:
        raise InputError(name, "no such model folder, nor a model of that id on the Hub") from None
    except HfHubHTTPError as error:
        raise InputError(
            name, f"the Hub refused the model id ({error.response.status_code})"
        ) from None
    except Exception as error:  # httpx/requests network errors differ between versions
        raise HubUnreachable(
            f"{name}: no such model folder, and the Hugging Face Hub could not be reached "
            f"to look it up ({type(error).__name__})"
        ) from None
    return name
