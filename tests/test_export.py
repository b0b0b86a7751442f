"""``stancebank export --format onnx``: a folder ONNX Runtime runs, which ``predict`` reads
as it reads the PyTorch folder, with the same labels and version."""

from __future__ import annotations

import json

import pytest

from stancebank.cli import main

TEXTS = ["Cameras keep us safe.", "Nobody dares to speak freely any more.",
         "It helps a bit and hurts a bit.", "The office has a scanner at the door."]  # fmt: skip


def _claims(path, texts=TEXTS):
    path.write_text("".join(json.dumps({
        "claim_id": f"c{i}", "answer_id": f"a{i}", "question_id": "q", "document_id": "d",
        "respondent": "R1", "question": "Q?", "text": t, "start": 0, "end": len(t),
    }) + "\n" for i, t in enumerate(texts)))  # fmt: skip
    return path


@pytest.fixture(scope="module")
def exported(fake_model, tmp_path_factory):
    """The random tiny model, exported once for the module."""
    model, _ = fake_model
    out = tmp_path_factory.mktemp("export") / "onnx"
    assert main(["export", str(model), "--out", str(out), "-q"]) == 0
    return out


def _predictions(path):
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_an_exported_model_predicts_what_the_original_does(fake_model, exported, tmp_path):
    model, _ = fake_model
    assert (exported / "model.onnx").is_file() and not list(exported.glob("*.safetensors"))
    claims = _claims(tmp_path / "claims.jsonl")
    for folder, out in ((model, "torch.jsonl"), (exported, "onnx.jsonl")):
        argv = ["predict", str(folder), str(claims), "--out", str(tmp_path / out), "--precision",
                "fp32", "-q"]  # fmt: skip
        assert main(argv) == 0
    torch_rows, onnx_rows = (
        _predictions(tmp_path / "torch.jsonl"),
        _predictions(tmp_path / "onnx.jsonl"),
    )
    for ours, theirs in zip(torch_rows, onnx_rows, strict=True):
        assert ours["label"] == theirs["label"]
        assert ours["model_version"] == theirs["model_version"]
        for label, score in ours["scores"].items():
            assert theirs["scores"][label] == pytest.approx(score, abs=1e-5)


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (lambda tmp, model, onnx: tmp, "not a model folder (no config.json)"),
        (lambda tmp, model, onnx: onnx, "is an ONNX folder already"),
    ],
)
def test_export_refuses_what_is_not_a_pytorch_model_folder(
    fake_model, tmp_path, capsys, make, says
):
    model, _ = fake_model
    onnx = tmp_path / "done"
    onnx.mkdir()
    (onnx / "model.onnx").write_bytes(b"")
    source = make(tmp_path / "empty", model, onnx)
    source.mkdir(exist_ok=True)
    assert main(["export", str(source), "--out", str(tmp_path / "out")]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and says in error
    assert not (tmp_path / "out").exists()


def test_an_onnx_folder_runs_in_float32_only(exported, tmp_path, capsys):
    claims = _claims(tmp_path / "claims.jsonl")
    argv = ["predict", str(exported), str(claims), "--out", str(tmp_path / "p.jsonl")]
    assert main([*argv, "--precision", "bf16"]) == 2
    assert "runs in float32" in capsys.readouterr().err
    assert not (tmp_path / "p.jsonl").exists()
