"""Chinese (written without spaces: clauses are measured in characters)."""

from __future__ import annotations

from stancebank.dataset.languages import Language

LANGUAGE = Language(
    code="zh",
    name="Chinese",
    codes=("zh", "zh-cn", "zh-tw", "cmn"),
    spaced=False,
    contrast_words=("但是", "不过", "然而", "可是"),
    correlative=("不仅", "不但", "不只"),
    question_labels=("问", "问题"),
    answer_labels=("答", "回答"),
    interviewer_words=frozenset({"采访者", "主持人", "记者", "问"}),
    placeholders=("已删除", "匿名", "已匿名"),
    pointers=(r"^(?:见|参见)(?:上文|下文|上面|下面|问题\s*\d+)",),
    regions=("CN",),
    min_clause=(4, 5),
)
