"""Reading labelled files (errors name the line and field) and the evaluation document and figures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook
from sklearn.metrics import f1_score

from gridvoice.classifier.data import read_labelled, urgent_of
from gridvoice.classifier.evaluation import evaluate, score, write_figure
from gridvoice.classifier.model import AppealClassifier, LabelledTexts, Prediction
from gridvoice.errors import BadInput


def test_jsonl_csv_and_xlsx_read_alike(tmp_path: Path) -> None:
    rows = [{"text": "家里没电了", "channel": "APP", "business_type": "REPAIR", "topic": "OUTAGE", "urgent": False},
            {"content": "电费太高", "business_type": "咨询查询", "topic": "抄表核算差错", "urgent": "是", "note": "x"}]
    jsonl = tmp_path / "a.jsonl"
    jsonl.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n\n", "utf-8")
    csv_file = tmp_path / "a.csv"
    csv_file.write_text("诉求内容,受理渠道,业务类型,诉求主题,紧急\n家里没电了,APP,REPAIR,OUTAGE,false\n"
                        "电费太高,,INQUIRY,METER_READING_BILLING,1\n", "gb18030")
    book = Workbook()
    sheet = book.active
    sheet.append(["text", "channel", "business_type", "topic", "urgent"])
    sheet.append(["家里没电了", "APP", "REPAIR", "OUTAGE", False])
    sheet.append(["电费太高", None, "INQUIRY", "METER_READING_BILLING", True])
    xlsx = tmp_path / "a.xlsx"
    book.save(xlsx)
    expected = LabelledTexts(["家里没电了", "电费太高"], ["APP", ""], ["REPAIR", "INQUIRY"],
                             ["OUTAGE", "METER_READING_BILLING"], [False, True])
    for path in (jsonl, csv_file, xlsx):
        assert read_labelled(path) == expected, path


@pytest.mark.parametrize(("content", "message"), [
    ('{"text": "停电", "business_type": "REPAIR", "topic": "OUTAGE"}\n{"text": "x", "topic": "OUTAGE"}',
     "a.jsonl line 2: business_type: unknown value None"),
    ('{"text": "停电", "business_type": "REPAIR", "topic": "OUTAGES"}', "line 1: topic: unknown value 'OUTAGES'"),
    ('{"text": "", "business_type": "REPAIR", "topic": "OUTAGE"}', "line 1: text: must be a non-empty string"),
    ('{"body": "停电", "business_type": "REPAIR", "topic": "OUTAGE"}', "line 1: text: missing"),
    ('\n\n{"text": "停电", "business_type": "REPAIR", "topic": "OUTAGE", "urgent": "maybe"}',
     "line 3: urgent: 'maybe' is not true/false"),
    ('{"text": "停电", "business_type": "REPAIR", "topic": "OUTAGE", "channel": "FAX"}', "line 1: channel"),
    ('{"text": "停电"', "line 1: not valid JSON"),
    ('["停电"]', "line 1: each line must be a JSON object"),
    ("", "holds no records"),
])
def test_bad_lines_are_named(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text(content, "utf-8")
    with pytest.raises(BadInput) as caught:
        read_labelled(path)
    assert message in str(caught.value)


def test_bad_files(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="does not exist"):
        read_labelled(tmp_path / "none.jsonl")
    (tmp_path / "a.txt").write_text("x", "utf-8")
    with pytest.raises(BadInput, match="unsupported file type"):
        read_labelled(tmp_path / "a.txt")
    (tmp_path / "a.csv").write_text("text,business_type,topic\n停电,REPAIR\n", "utf-8")
    with pytest.raises(BadInput, match=r"a\.csv line 2: 2 cells, the header has 3"):
        read_labelled(tmp_path / "a.csv")


@given(st.sampled_from([True, False, 1, 0, "true", "FALSE", "是", "否", "yes", "no", "1", "0", " True "]))
def test_urgent_values(value: object) -> None:
    assert urgent_of(value, "x") is (str(value).strip().lower() in {"true", "1", "是", "yes"})


def _prediction(bt: str, topic: str, urgent: bool) -> Prediction:
    from gridvoice.domain.taxonomy import factor_of

    return Prediction(bt, topic, factor_of(topic).value, urgent, 0.9, 0.8, 0.7 if urgent else 0.1, ())


def test_scores_match_scikit_learn() -> None:
    truth = LabelledTexts(["a"] * 6, [""] * 6, ["REPAIR", "REPAIR", "INQUIRY", "INQUIRY", "URGE", "REPAIR"],
                          ["OUTAGE", "OUTAGE", "VOLTAGE", "OUTAGE", "OUTAGE", "VOLTAGE"],
                          [True, False, False, True, None, False])
    predicted = [_prediction("REPAIR", "OUTAGE", True), _prediction("INQUIRY", "OUTAGE", False),
                 _prediction("INQUIRY", "VOLTAGE", False), _prediction("INQUIRY", "OUTAGE", False),
                 _prediction("REPAIR", "OUTAGE", True), _prediction("REPAIR", "METERING", True)]
    report = score(truth, predicted)
    bt_pred = [p.business_type for p in predicted]
    assert report["business_type"]["macro_f1"] == round(f1_score(truth.business_type, bt_pred, average="macro"), 4)
    assert report["topic"]["per_class"]["METERING"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 0}
    assert report["topic"]["confusion"]["labels"] == ["OUTAGE", "VOLTAGE", "METERING"]
    assert report["topic"]["confusion"]["matrix"] == [[4, 0, 0], [0, 1, 1], [0, 0, 0]]
    assert report["topic"]["confused_pairs"] == [{"true": "VOLTAGE", "predicted": "METERING", "count": 1}]
    judged = [0, 1, 2, 3, 5]  # the record without an urgent label is not judged
    assert report["urgent"]["support"] == 2
    assert report["urgent"]["f1"] == round(f1_score([truth.urgent[i] for i in judged],
                                                    [predicted[i].urgent for i in judged]), 4)
    assert report["factor"]["per_class"]["POWER_QUALITY"]["support"] == 6


def test_figures(model: AppealClassifier, corpus: LabelledTexts, tmp_path: Path) -> None:
    report = evaluate(model, corpus.subset(range(200)))
    write_figure(report, tmp_path / "m.png")
    assert (tmp_path / "m.png").read_bytes()[:4] == b"\x89PNG"
    write_figure(report, tmp_path / "sub" / "m.html")
    page = (tmp_path / "sub" / "m.html").read_text("utf-8")
    assert "business_type: macro-F1" in page and "OUTAGE" in page and "urgent: F1" in page
    with pytest.raises(BadInput, match="unsupported figure type"):
        write_figure(report, tmp_path / "m.pdf")
