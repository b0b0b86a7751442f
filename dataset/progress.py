"""Progress bars (tqdm) for long work, shown only on a terminal and only when asked for."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from tqdm import tqdm


def progress_bar(
    iterable: Iterable[Any] | None = None, *, desc: str, unit: str, enabled: bool = True, **kw
) -> tqdm:
    """A tqdm bar; silent when ``enabled`` is False or the output is not a terminal."""
    return tqdm(iterable, desc=desc, unit=unit, disable=None if enabled else True, **kw)
