"""The model specification of a CSI study (interfaces.md, `gridvoice satisfaction fit --spec`) and the data check.

A spec is a mapping (parsed from YAML or JSON, or built in code)::

    constructs: {NAME: {items: [col, …], mode: A|B, label: 中文名}}
    paths: [[FROM, TO], …]
    scheme: path | centroid | factorial      # inner weighting, default path
    scaled: true | false                      # standardise items (true) or only centre them (false, as R plspm)
    scale: {min: 1, max: 10}                  # the answer scale, for the 0–100 index (default 1–10)
    missing: listwise | error                 # rows with a missing item: dropped and counted, or refused
    target: SAT                               # the construct the drivers (IPMA) explain; optional

Every problem is a `BadInput` naming the construct, item, path, line or column and the reason.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, cast

import numpy as np
import numpy.typing as npt
import pandas as pd
import yaml

from gridvoice.errors import BadInput

Scheme = Literal["path", "centroid", "factorial"]
Mode = Literal["A", "B"]
MissingPolicy = Literal["listwise", "error"]
SCHEMES: tuple[Scheme, ...] = ("path", "centroid", "factorial")
MODES: tuple[Mode, ...] = ("A", "B")
MISSING_POLICIES: tuple[MissingPolicy, ...] = ("listwise", "error")
TOP_LEVEL_KEYS = ("name", "constructs", "paths", "scheme", "scaled", "scale", "missing", "target")
CONSTRUCT_KEYS = ("items", "mode", "label", "label_en")
SHOWN_PROBLEMS = 5  # lines quoted in one error message; the count says how many more there are


@dataclass(frozen=True)
class Construct:
    name: str
    items: tuple[str, ...]
    mode: Mode = "A"
    label: str | None = None


@dataclass(frozen=True)
class Scale:
    min: float = 1.0
    max: float = 10.0

    def rescale(self, values: npt.ArrayLike) -> npt.NDArray[np.float64]:
        """Answers on the scale mapped to 0–100 (x* = (x − min) / (max − min) · 100, methods.md §6.3)."""
        return (np.asarray(values, dtype=float) - self.min) / (self.max - self.min) * 100.0


@dataclass(frozen=True)
class ModelSpec:
    constructs: tuple[Construct, ...]
    paths: tuple[tuple[str, str], ...]
    scheme: Scheme = "path"
    scaled: bool = True
    scale: Scale = field(default_factory=Scale)
    missing: MissingPolicy = "listwise"
    target: str | None = None
    name: str | None = None

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.constructs)

    @property
    def items(self) -> tuple[str, ...]:
        return tuple(item for c in self.constructs for item in c.items)

    def construct(self, name: str) -> Construct:
        for c in self.constructs:
            if c.name == name:
                return c
        raise BadInput("construct", f"unknown construct {name!r}; the spec has {list(self.names)}")

    def construct_of(self, item: str) -> str:
        for c in self.constructs:
            if item in c.items:
                return c.name
        raise BadInput("item", f"unknown item {item!r}")

    def predecessors(self, name: str) -> tuple[str, ...]:
        return tuple(a for a, b in self.paths if b == name)

    @property
    def endogenous(self) -> tuple[str, ...]:
        return tuple(n for n in self.names if self.predecessors(n))

    def minimum_rows(self) -> int:
        """The smallest sample that can be estimated: one more row than the largest regression needs
        (an intercept, the predictors of a construct or the items of a mode-B block) plus one degree of freedom."""
        largest = max([len(self.predecessors(n)) for n in self.names]
                      + [len(c.items) for c in self.constructs if c.mode == "B"] + [1])
        return largest + 2

    def recommended_rows(self) -> int:
        """The "10-times rule" (Barclay, Higgins & Thompson 1995; Hair et al., A Primer on PLS-SEM): ten times
        the largest number of arrows pointing at a construct, structural paths or formative items."""
        largest = max([len(self.predecessors(n)) for n in self.names]
                      + [len(c.items) for c in self.constructs if c.mode == "B"] + [1])
        return 10 * largest

    def to_dict(self) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "constructs": {c.name: {"items": list(c.items), "mode": c.mode, **({"label": c.label} if c.label else {})}
                           for c in self.constructs},
            "paths": [list(p) for p in self.paths],
            "scheme": self.scheme, "scaled": self.scaled,
            "scale": {"min": self.scale.min, "max": self.scale.max}, "missing": self.missing,
        }
        if self.target:
            doc["target"] = self.target
        if self.name:
            doc["name"] = self.name
        return doc


def load_spec(path: Path) -> ModelSpec:
    """A spec from a YAML (or JSON, which is YAML) file."""
    try:
        text = Path(path).read_text("utf-8")
    except OSError as exc:
        raise BadInput("spec", f"{path}: cannot read: {exc.strerror}") from exc
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise BadInput("spec", f"{path}: not valid YAML: {exc}") from exc
    return parse_spec(doc)


def parse_spec(doc: Any) -> ModelSpec:
    """Validate a spec mapping; see the module docstring for its shape."""
    if not isinstance(doc, Mapping):
        raise BadInput("spec", "the spec must be a mapping with 'constructs' and 'paths'")
    unknown = [k for k in doc if k not in TOP_LEVEL_KEYS]
    if unknown:
        raise BadInput("spec", f"unknown key(s) {unknown}; expected some of {list(TOP_LEVEL_KEYS)}")
    constructs = _constructs(doc.get("constructs"))
    names = [c.name for c in constructs]
    paths = _paths(doc.get("paths"), names)
    _check_connected(names, paths)
    _check_acyclic(names, paths)
    spec = ModelSpec(
        constructs=tuple(constructs), paths=tuple(paths),
        scheme=cast(Scheme, _choice(doc, "scheme", SCHEMES, "path")),
        scaled=_flag(doc, "scaled", True), scale=_scale(doc.get("scale")),
        missing=cast(MissingPolicy, _choice(doc, "missing", MISSING_POLICIES, "listwise")),
        target=_target(doc.get("target"), names),
        name=str(doc["name"]) if doc.get("name") is not None else None,
    )
    return spec


def _constructs(raw: Any) -> list[Construct]:
    if not isinstance(raw, Mapping) or not raw:
        raise BadInput("constructs", "a non-empty mapping of construct name → {items, mode} is required")
    out: list[Construct] = []
    owner: dict[str, str] = {}
    for name, body in raw.items():
        construct = _construct(str(name), body)
        for item in construct.items:
            if item in owner:
                raise BadInput(f"constructs.{name}.items",
                               f"item {item!r} is already an item of construct {owner[item]!r}")
            owner[item] = construct.name
        out.append(construct)
    if len(out) < 2:
        raise BadInput("constructs", "a path model needs at least two constructs")
    return out


def _construct(name: str, body: Any) -> Construct:
    where = f"constructs.{name}"
    if not name.strip() or " -> " in name:
        raise BadInput(where, "a construct name must be non-empty and must not contain ' -> '")
    if not isinstance(body, Mapping):
        raise BadInput(where, "must be a mapping with 'items' (and optionally 'mode', 'label')")
    unknown = [k for k in body if k not in CONSTRUCT_KEYS]
    if unknown:
        raise BadInput(where, f"unknown key(s) {unknown}; expected some of {list(CONSTRUCT_KEYS)}")
    items = body.get("items")
    if items is None or (isinstance(items, Sequence) and not isinstance(items, str) and len(items) == 0):
        raise BadInput(f"{where}.items", f"construct {name!r} has no items; list the columns that measure it")
    if isinstance(items, str) or not isinstance(items, Sequence):
        raise BadInput(f"{where}.items", "must be a list of column names")
    names = [str(i).strip() for i in items]
    if any(not i for i in names):
        raise BadInput(f"{where}.items", "an item name is empty")
    dupes = sorted({i for i in names if names.count(i) > 1})
    if dupes:
        raise BadInput(f"{where}.items", f"item(s) {dupes} listed twice")
    mode = str(body.get("mode", "A")).strip().upper()
    if mode not in MODES:
        raise BadInput(f"{where}.mode", f"unknown mode {body.get('mode')!r}; use A (reflective) or B (formative)")
    label = body.get("label")
    return Construct(name, tuple(names), cast(Mode, mode), str(label) if label is not None else None)


def _paths(raw: Any, names: list[str]) -> list[tuple[str, str]]:
    if not isinstance(raw, Sequence) or isinstance(raw, str) or not raw:
        raise BadInput("paths", "a non-empty list of [FROM, TO] pairs is required")
    out: list[tuple[str, str]] = []
    for i, pair in enumerate(raw):
        where = f"paths[{i}]"
        if isinstance(pair, str) and "->" in pair:
            pair = [p.strip() for p in pair.split("->")]
        if not isinstance(pair, Sequence) or isinstance(pair, str) or len(pair) != 2:
            raise BadInput(where, f"{pair!r} is not a [FROM, TO] pair")
        a, b = str(pair[0]), str(pair[1])
        for end in (a, b):
            if end not in names:
                raise BadInput(where, f"unknown construct {end!r} in path {a} -> {b}; the constructs are {names}")
        if a == b:
            raise BadInput(where, f"path {a} -> {b} points a construct at itself")
        if (a, b) in out:
            raise BadInput(where, f"path {a} -> {b} is listed twice")
        out.append((a, b))
    return out


def _check_connected(names: list[str], paths: list[tuple[str, str]]) -> None:
    linked = {n for p in paths for n in p}
    for name in names:
        if name not in linked:
            raise BadInput(f"constructs.{name}",
                           f"construct {name!r} is in no path; every construct must be in the structural model")


def _check_acyclic(names: list[str], paths: list[tuple[str, str]]) -> None:
    """PLS path models are recursive: a cycle is refused, naming it."""
    children: dict[str, list[str]] = {n: [] for n in names}
    for a, b in paths:
        children[a].append(b)
    state: dict[str, int] = {}  # 1 = on the current walk, 2 = done

    def walk(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in children[node]:
            if state.get(nxt) == 1:
                cycle = [*trail[trail.index(nxt):], nxt]
                raise BadInput("paths", f"the paths form a cycle {' -> '.join(cycle)}; the model must be recursive")
            if nxt not in state:
                walk(nxt, [*trail, nxt])
        state[node] = 2

    for name in names:
        if name not in state:
            walk(name, [name])


def _choice(doc: Mapping[str, Any], key: str, allowed: Sequence[str], default: str) -> str:
    value = doc.get(key, default)
    text = str(value).strip().lower() if value is not None else default
    if text not in allowed:
        raise BadInput(key, f"unknown {key} {value!r}; use one of {list(allowed)}")
    return text


def _flag(doc: Mapping[str, Any], key: str, default: bool) -> bool:
    value = doc.get(key, default)
    if isinstance(value, bool):
        return value
    raise BadInput(key, f"must be true or false, got {value!r}")


def _scale(raw: Any) -> Scale:
    if raw is None:
        return Scale()
    if not isinstance(raw, Mapping) or set(raw) - {"min", "max"}:
        raise BadInput("scale", "must be a mapping {min: …, max: …}")
    try:
        low, high = float(raw.get("min", 1)), float(raw.get("max", 10))
    except (TypeError, ValueError) as exc:
        raise BadInput("scale", f"min and max must be numbers, got {dict(raw)}") from exc
    if not (math.isfinite(low) and math.isfinite(high)) or low >= high:
        raise BadInput("scale", f"min ({low:g}) must be a number below max ({high:g})")
    return Scale(low, high)


def _target(raw: Any, names: list[str]) -> str | None:
    if raw is None:
        return None
    if str(raw) not in names:
        raise BadInput("target", f"unknown construct {raw!r}; the constructs are {names}")
    return str(raw)


# ------------------------------------------------------------------------------------------------ the data


@dataclass(frozen=True)
class PreparedData:
    """The item columns of the spec as a float matrix (rows = respondents kept), and what was dropped."""

    values: npt.NDArray[np.float64]
    items: tuple[str, ...]
    rows_read: int
    dropped_missing: int
    kept: npt.NDArray[np.int64]  # positions in the input of the rows kept

    @property
    def n(self) -> int:
        return int(self.values.shape[0])


def prepare_data(spec: ModelSpec, frame: pd.DataFrame, lines: Sequence[int] | None = None,
                 *, check_rows: bool = True) -> PreparedData:
    """Check the survey answers against the spec and return the numeric item matrix.

    `lines` gives, per row, the line a person finds it on (a CSV's line number); without it rows are
    numbered from 1. Non-numeric cells and answers outside the scale are refused naming line and column;
    rows with a missing answer are dropped and counted (`missing: listwise`) or refused (`missing: error`).
    """
    where = list(lines) if lines is not None else list(range(1, len(frame) + 1))
    label = "line" if lines is not None else "row"
    _check_columns(spec, frame)
    numeric = {item: _numeric_column(frame[item], item, where, label) for item in spec.items}
    values = np.column_stack([numeric[item] for item in spec.items]) if len(frame) else np.empty((0, len(spec.items)))
    _check_scale(spec, values, where, label)
    complete = ~np.isnan(values).any(axis=1)
    if spec.missing == "error" and not complete.all():
        raise BadInput("data", f"missing answers: {_missing_cells(spec, values, where, label)} "
                               "(the spec says missing: error; use missing: listwise to drop such rows)")
    kept = np.flatnonzero(complete)
    prepared = PreparedData(np.ascontiguousarray(values[kept]), spec.items, len(frame),
                            int((~complete).sum()), kept)
    if check_rows:
        check_estimable(spec, prepared)
    return prepared


def check_estimable(spec: ModelSpec, data: PreparedData) -> None:
    """Enough complete rows, and no item that is the same for every respondent."""
    need = spec.minimum_rows()
    if data.n < need:
        dropped = f" after dropping {data.dropped_missing} with missing answers" if data.dropped_missing else ""
        raise BadInput("data", f"too few rows: {data.n} complete row(s){dropped}, the model needs at least {need} "
                               f"(and {spec.recommended_rows()} by the 10-times rule)")
    for j, item in enumerate(spec.items):
        column = data.values[:, j]
        if np.all(column == column[0]):
            raise BadInput(f"constructs.{spec.construct_of(item)}.items",
                           f"item {item!r} is constant (every answer is {column[0]:g}): it carries no information")


def _check_columns(spec: ModelSpec, frame: pd.DataFrame) -> None:
    columns = [str(c) for c in frame.columns]
    dupes = sorted({c for c in columns if columns.count(c) > 1})
    if dupes:
        raise BadInput("data", f"duplicate column(s) {dupes}")
    for c in spec.constructs:
        missing = [i for i in c.items if i not in columns]
        if missing:
            raise BadInput(f"constructs.{c.name}.items",
                           f"unknown item(s) {missing}: not columns of the data (columns: {_short(columns)})")


def _numeric_column(column: pd.Series, item: str, lines: list[int], label: str) -> npt.NDArray[np.float64]:
    if pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column):
        return column.to_numpy(dtype=float, na_value=np.nan)
    raw = column.to_numpy(dtype=object)
    blank = np.array([_is_blank(v) for v in raw], dtype=bool)
    # answers typed with a Chinese input method come as full-width digits (１０); NFKC makes them ASCII
    text = [unicodedata.normalize("NFKC", v) if isinstance(v, str) else v for v in raw]
    parsed = pd.to_numeric(pd.Series(np.where(blank, None, np.array(text, dtype=object))),
                           errors="coerce").to_numpy(dtype=float)
    bad = np.flatnonzero(~blank & ~np.isfinite(parsed))
    if bad.size:
        shown = ", ".join(f"{label} {lines[i]}: {raw[i]!r}" for i in bad[:SHOWN_PROBLEMS])
        more = f" and {bad.size - SHOWN_PROBLEMS} more" if bad.size > SHOWN_PROBLEMS else ""
        raise BadInput(f"column {item}", f"not a number: {shown}{more}")
    return parsed


def _is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and value.strip() in ("", "NA", "NaN", "nan", "null", "NULL")


def _check_scale(spec: ModelSpec, values: npt.NDArray[np.float64], lines: list[int], label: str) -> None:
    with np.errstate(invalid="ignore"):
        outside = (values < spec.scale.min) | (values > spec.scale.max)
    if not outside.any():
        return
    rows, cols = np.nonzero(outside)
    shown = ", ".join(f"{label} {lines[r]} column {spec.items[c]}: {values[r, c]:g}"
                      for r, c in zip(rows[:SHOWN_PROBLEMS], cols[:SHOWN_PROBLEMS], strict=True))
    more = f" and {rows.size - SHOWN_PROBLEMS} more" if rows.size > SHOWN_PROBLEMS else ""
    raise BadInput("data", f"answers outside the scale {spec.scale.min:g}–{spec.scale.max:g}: {shown}{more} "
                           "(set scale: {min, max} in the spec if the questionnaire uses another scale)")


def _missing_cells(spec: ModelSpec, values: npt.NDArray[np.float64], lines: list[int], label: str) -> str:
    rows, cols = np.nonzero(np.isnan(values))
    shown = ", ".join(f"{label} {lines[r]} column {spec.items[c]}"
                      for r, c in zip(rows[:SHOWN_PROBLEMS], cols[:SHOWN_PROBLEMS], strict=True))
    more = f" and {rows.size - SHOWN_PROBLEMS} more" if rows.size > SHOWN_PROBLEMS else ""
    return shown + more


def _short(names: Iterable[str], limit: int = 12) -> str:
    names = list(names)
    return ", ".join(names[:limit]) + (f", … ({len(names)} in all)" if len(names) > limit else "")
