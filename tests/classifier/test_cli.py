"""`gridvoice classify` and `gridvoice model …` run in-process against a home holding the small model."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from gridvoice.classifier import registry
from gridvoice.classifier.model import LabelledTexts
from gridvoice.cli import app


def run(home: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> Result:
    for name in ("GRIDVOICE_CONFIG", "GRIDVOICE_DATABASE_URL", "GRIDVOICE_LOG_FORMAT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GRIDVOICE_HOME", str(home))
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def flat(text: str) -> str:
    return "".join(text.split())  # rich wraps long stderr lines


def says(result: Result, message: str) -> bool:
    return flat(message) in flat(result.stderr)


def write_jsonl(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path


def labelled_rows(data: LabelledTexts, n: int) -> list[dict[str, object]]:
    return [{"text": data.texts[i], "channel": data.channels[i], "business_type": data.business_type[i],
             "topic": data.topic[i], "urgent": data.urgent[i]} for i in range(n)]


def test_classify_keeps_order_and_objects(model_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rows = [{"id": 1, "text": "家里没电了快来修", "channel": "APP"}, {"id": 2, "content": "电线冒烟了"},
            {"id": 3, "text": "请问阶梯电价怎么算", "extra": {"k": [1]}}]
    result = run(model_home, monkeypatch, "classify", "--input", str(write_jsonl(tmp_path / "in.jsonl", rows)))
    assert result.exit_code == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["id"] for line in lines] == [1, 2, 3]
    assert lines[2]["extra"] == {"k": [1]}
    for line in lines:
        predicted = line["predicted"]
        assert {"business_type", "topic", "factor", "urgent", "confidence"} <= predicted.keys()
        assert predicted["confidence"].keys() == {"business_type", "topic"}
    assert lines[0]["predicted"]["topic"] == "OUTAGE"
    assert lines[1]["predicted"]["urgent"] is True and lines[1]["predicted"]["urgency_reasons"] == ["safety:冒烟"]


def test_classify_text_field_and_explain(model_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_jsonl(tmp_path / "in.jsonl", [{"body": "电表走得太快了"}])
    result = run(model_home, monkeypatch, "classify", "--input", str(path), "--text-field", "body", "--explain",
                 "--top", "3")
    assert result.exit_code == 0, result.stderr
    line = json.loads(result.stdout)
    assert line["body"] == "电表走得太快了"
    assert all(1 <= len(d) <= 3 for d in line["explanation"]["drivers"].values())


@pytest.mark.parametrize(("content", "message"), [
    ('{"text": "停电"}\n{"text": 5}\n', "in.jsonl line 2: text: must be a non-empty string"),
    ('{"text": "停电"}\n\n{"txt": "x"}\n', "in.jsonl line 3: text: missing"),
    ('{"text": "停电", "channel": "FAX"}\n', "in.jsonl line 1: channel: unknown value 'FAX'"),
    ('{"text": "停电"\n', "in.jsonl line 1: not valid JSON"),
    ("", "holds no lines"),
])
def test_classify_bad_lines(model_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: str,
                            message: str) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(content, "utf-8")
    result = run(model_home, monkeypatch, "classify", "--input", str(path))
    assert result.exit_code == 2
    assert result.stdout == ""  # nothing is classified before every line was read
    assert says(result, message)


def test_classify_missing_file_and_model(model_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = run(model_home, monkeypatch, "classify", "--input", str(tmp_path / "none.jsonl"))
    assert result.exit_code == 2 and says(result, "does not exist")
    path = write_jsonl(tmp_path / "in.jsonl", [{"text": "停电"}])
    result = run(model_home, monkeypatch, "classify", "--input", str(path), "--model", str(tmp_path))
    assert result.exit_code == 2 and says(result, "no model.joblib")


def test_evaluate_json_and_figure(model_home: Path, corpus: LabelledTexts, tmp_path: Path,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    data = write_jsonl(tmp_path / "eval.jsonl", labelled_rows(corpus, 120))
    result = run(model_home, monkeypatch, "model", "evaluate", "--data", str(data), "--format", "json",
                 "--figure", str(tmp_path / "cm.html"))
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)  # exactly one JSON document
    assert 0 <= report["business_type"]["macro_f1"] <= 1 and report["business_type"]["per_class"]
    assert report["topic"]["confusion"]["matrix"] and 0 <= report["urgent"]["f1"] <= 1
    assert report["model"]["version"] == registry.current(model_home).name  # type: ignore[union-attr]
    assert (tmp_path / "cm.html").is_file()
    text = run(model_home, monkeypatch, "model", "evaluate", "--data", str(data))
    assert text.exit_code == 0 and "macro-F1" in text.stdout
    bad = run(model_home, monkeypatch, "model", "evaluate", "--data", str(data), "--figure", str(tmp_path / "x.pdf"))
    assert bad.exit_code == 2 and says(bad, "unsupported figure type")


def test_train_list_and_use(model_home: Path, corpus: LabelledTexts, tmp_path: Path,
                            monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    shutil.copytree(model_home, home)
    installed = registry.current(home)
    data = write_jsonl(tmp_path / "train.jsonl", labelled_rows(corpus, 800))
    out = tmp_path / "trained"
    result = run(home, monkeypatch, "model", "train", "--data", str(data), "--out", str(out), "--jobs", "1",
                 "--format", "json")
    assert result.exit_code == 0, result.stderr
    meta = json.loads(result.stdout)
    assert meta["path"] == str(out) and meta["installed"] is False
    assert meta["training_size"] + meta["holdout_size"] == 800 and meta["data_source"].startswith("file ")
    assert registry.current(home) == installed  # --out does not install
    listed = json.loads(run(home, monkeypatch, "model", "list", "--format", "json").stdout)
    assert [m["current"] for m in listed] == [True]
    assert run(home, monkeypatch, "model", "use", str(out)).exit_code == 0
    assert registry.current(home) == out
    assert run(home, monkeypatch, "model", "use", installed.name).exit_code == 0  # type: ignore[union-attr]
    assert registry.current(home) == installed


def test_train_needs_one_source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = run(tmp_path, monkeypatch, "model", "train")
    assert result.exit_code == 2 and says(result, "exactly one of --data FILE, --from-store, --default")
    path = write_jsonl(tmp_path / "t.jsonl", [{"text": "停电", "business_type": "REPAIR", "topic": "OUTAGE"}] * 4)
    result = run(tmp_path, monkeypatch, "model", "train", "--data", str(path))
    assert result.exit_code == 2 and says(result, "business_type: the training data has only one value")
