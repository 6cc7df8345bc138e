"""Scores of a classifier on labelled texts: per-class precision/recall/F1, macro-F1, confusion matrices, and
the figure of them (a matplotlib PNG or an HTML table)."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

from gridvoice.classifier.model import AppealClassifier, LabelledTexts, Prediction
from gridvoice.domain.taxonomy import BusinessType, Factor, Topic, factor_of
from gridvoice.errors import BadInput

LABEL_ORDER: dict[str, list[str]] = {
    "business_type": [b.value for b in BusinessType],
    "topic": [t.value for t in Topic],
    "factor": [f.value for f in Factor],
}
FIGURE_TYPES = (".png", ".html")


def _r(x: float) -> float:
    return round(float(x), 4)


def multiclass_scores(truth: list[str], predicted: list[str], order: list[str]) -> dict[str, Any]:
    labels = [c for c in order if c in set(truth) | set(predicted)]
    p, r, f, s = precision_recall_fscore_support(truth, predicted, labels=labels, zero_division=0)
    matrix = confusion_matrix(truth, predicted, labels=labels)
    return {
        # scikit-learn's macro average: every class in the data or in the predictions counts
        "macro_f1": _r(np.mean(f)) if len(f) else 0.0,
        "accuracy": _r(np.mean(np.asarray(truth) == np.asarray(predicted))),
        "per_class": {label: {"precision": _r(p[i]), "recall": _r(r[i]), "f1": _r(f[i]), "support": int(s[i])}
                      for i, label in enumerate(labels)},
        "confusion": {"labels": labels, "matrix": matrix.tolist()},
        "confused_pairs": _pairs(labels, matrix),
    }


def _pairs(labels: list[str], matrix: np.ndarray, top: int = 10) -> list[dict[str, Any]]:
    """The most frequent (true, predicted) mistakes."""
    cells = [(int(matrix[i, j]), labels[i], labels[j]) for i in range(len(labels)) for j in range(len(labels))
             if i != j and matrix[i, j]]
    cells.sort(key=lambda c: (-c[0], c[1], c[2]))
    return [{"true": t, "predicted": p, "count": n} for n, t, p in cells[:top]]


def binary_scores(truth: list[bool], predicted: list[bool]) -> dict[str, Any]:
    p, r, f, _ = precision_recall_fscore_support(truth, predicted, labels=[True], zero_division=0)
    matrix = confusion_matrix(truth, predicted, labels=[False, True])
    return {"f1": _r(f[0]), "precision": _r(p[0]), "recall": _r(r[0]), "support": int(sum(truth)),
            "confusion": {"labels": [False, True], "matrix": matrix.tolist()}}


def score(data: LabelledTexts, predictions: list[Prediction]) -> dict[str, Any]:
    """The evaluation document of interfaces.md (and more keys: accuracy, factor, confusion, urgent details)."""
    out: dict[str, Any] = {"n": len(data)}
    out["business_type"] = multiclass_scores(data.business_type, [p.business_type for p in predictions],
                                             LABEL_ORDER["business_type"])
    out["topic"] = multiclass_scores(data.topic, [p.topic for p in predictions], LABEL_ORDER["topic"])
    out["factor"] = multiclass_scores([factor_of(t).value for t in data.topic], [p.factor for p in predictions],
                                      LABEL_ORDER["factor"])
    judged = [i for i, u in enumerate(data.urgent) if u is not None]
    if judged:
        out["urgent"] = binary_scores([bool(data.urgent[i]) for i in judged], [predictions[i].urgent for i in judged])
        out["urgent"]["model_only_f1"] = binary_scores(
            [bool(data.urgent[i]) for i in judged],
            [predictions[i].urgent_probability >= 0.5 for i in judged])["f1"]
    else:
        out["urgent"] = {"f1": None, "support": 0, "note": "the data has no urgent labels"}
    return out


def evaluate(model: AppealClassifier, data: LabelledTexts) -> dict[str, Any]:
    return score(data, model.predict(data.texts, data.channels))


def write_figure(report: dict[str, Any], path: Path) -> None:
    suffix = path.suffix.lower()
    if suffix not in FIGURE_TYPES:
        raise BadInput("figure", f"unsupported figure type '{suffix}'; use .png or .html")
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".png":
        _png(report, path)
    else:
        path.write_text(_html(report), "utf-8")


def _png(report: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    heads = [h for h in ("business_type", "topic") if "confusion" in report.get(h, {})]
    fig, axes = plt.subplots(1, len(heads), figsize=(8 * len(heads), 7), squeeze=False)
    for ax, head in zip(axes[0], heads, strict=True):
        labels = report[head]["confusion"]["labels"]
        matrix = np.asarray(report[head]["confusion"]["matrix"])
        ax.imshow(matrix, cmap="Blues")
        ax.set_xticks(range(len(labels)), labels, rotation=60, ha="right", fontsize=8)
        ax.set_yticks(range(len(labels)), labels, fontsize=8)
        ax.set_xlabel("predicted")
        ax.set_ylabel("true")
        ax.set_title(f"{head}  macro-F1 {report[head]['macro_f1']:.3f}")
        for i in range(len(labels)):
            for j in range(len(labels)):
                if matrix[i, j]:
                    colour = "white" if matrix[i, j] > matrix.max() / 2 else "black"
                    ax.text(j, i, str(matrix[i, j]), ha="center", va="center", fontsize=7, color=colour)
    urgent = report.get("urgent", {})
    if urgent.get("f1") is not None:
        fig.suptitle(f"urgent F1 {urgent['f1']:.3f} (precision {urgent['precision']:.3f}, "
                     f"recall {urgent['recall']:.3f}); n = {report['n']}")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _html_matrix(head: str, part: dict[str, Any]) -> str:
    labels = part["confusion"]["labels"]
    matrix = part["confusion"]["matrix"]
    peak = max((v for row in matrix for v in row), default=1) or 1
    head_cells = "".join(f"<th>{html.escape(str(label))}</th>" for label in labels)
    rows = []
    for label, row in zip(labels, matrix, strict=True):
        cells = "".join(
            f'<td style="background: rgba(33,102,172,{v / peak:.2f}); color: {"#fff" if v > peak / 2 else "#000"}">'
            f"{v or ''}</td>" for v in row)
        f1 = part["per_class"].get(str(label), {}).get("f1", "")
        rows.append(f"<tr><th>{html.escape(str(label))}</th>{cells}<td>{f1}</td></tr>")
    title = f"{head}: macro-F1 {part['macro_f1']}" if "macro_f1" in part else f"{head}: F1 {part.get('f1')}"
    return (f"<h2>{html.escape(title)}</h2><table><tr><th>true \\ predicted</th>{head_cells}<th>F1</th></tr>"
            f"{''.join(rows)}</table>")


def _html(report: dict[str, Any]) -> str:
    sections = [_html_matrix(h, report[h]) for h in ("business_type", "topic", "factor") if h in report]
    urgent = report.get("urgent", {})
    if urgent.get("f1") is not None:
        (tn, fp), (fn, tp) = urgent["confusion"]["matrix"]
        sections.append(f"<h2>urgent: F1 {urgent['f1']} (precision {urgent['precision']}, recall "
                        f"{urgent['recall']})</h2><table><tr><th>true \\ predicted</th><th>not urgent</th>"
                        f"<th>urgent</th></tr><tr><th>not urgent</th><td>{tn}</td><td>{fp}</td></tr>"
                        f"<tr><th>urgent</th><td>{fn}</td><td>{tp}</td></tr></table>")
    style = ("body{font-family:sans-serif}table{border-collapse:collapse;margin-bottom:2em}"
             "td,th{border:1px solid #ccc;padding:3px 6px;font-size:12px;text-align:right}")
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>classifier evaluation</title>"
            f"<style>{style}</style></head><body><h1>Classifier evaluation (n = {report['n']})</h1>"
            f"{''.join(sections)}</body></html>")
