"""Questionnaires (问卷): constructs with their items' wording, the answer scale and the path model.

The default instrument for power customers (ECSI structure, methods.md §6) ships as
`gridvoice/defaults/satisfaction_instrument.yaml`; a deployment may load its own file of the same shape.
`Instrument.spec()` is the model spec that `pls.fit` estimates.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from gridvoice.errors import BadInput
from gridvoice.satisfaction.spec import ModelSpec, Scale, parse_spec

DEFAULT_FILE = "satisfaction_instrument.yaml"
MODEL_KEYS = ("target", "scheme", "scaled")


@dataclass(frozen=True)
class Item:
    code: str
    text: str


@dataclass(frozen=True)
class InstrumentConstruct:
    code: str
    label: str
    label_en: str
    mode: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Instrument:
    name: str
    version: int
    scale: Scale
    scale_labels: tuple[str, str]
    constructs: tuple[InstrumentConstruct, ...]
    paths: tuple[tuple[str, str], ...]
    model: dict[str, Any]  # target, scheme, scaled

    def spec(self) -> ModelSpec:
        return parse_spec(self._spec_doc())

    def _spec_doc(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "constructs": {c.code: {"items": [i.code for i in c.items], "mode": c.mode, "label": c.label}
                           for c in self.constructs},
            "paths": [list(p) for p in self.paths],
            "scale": {"min": self.scale.min, "max": self.scale.max},
            **self.model,
        }

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(i for c in self.constructs for i in c.items)

    def item_text(self, code: str) -> str:
        for item in self.items:
            if item.code == code:
                return item.text
        raise BadInput("item", f"unknown item {code!r} of instrument {self.name!r}")

    def construct_label(self, code: str) -> str:
        for c in self.constructs:
            if c.code == code:
                return c.label
        raise BadInput("construct", f"unknown construct {code!r} of instrument {self.name!r}")

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name, "version": self.version,
            "scale": {"min": self.scale.min, "max": self.scale.max,
                      "min_label": self.scale_labels[0], "max_label": self.scale_labels[1]},
            "constructs": {c.code: {"label": c.label, "label_en": c.label_en, "mode": c.mode,
                                    "items": [{"code": i.code, "text": i.text} for i in c.items]}
                           for c in self.constructs},
            "paths": [list(p) for p in self.paths],
            **self.model,
        }


def load_instrument(path: Path | None = None) -> Instrument:
    """The instrument in `path` (YAML), else the shipped default."""
    name = str(path) if path else DEFAULT_FILE
    try:
        text = (Path(path).read_text("utf-8") if path
                else resources.files("gridvoice.defaults").joinpath(DEFAULT_FILE).read_text("utf-8"))
    except OSError as exc:
        raise BadInput("instrument", f"{name}: cannot read: {exc.strerror}") from exc
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise BadInput("instrument", f"{name}: not valid YAML: {exc}") from exc
    return parse_instrument(doc)


def parse_instrument(doc: Any) -> Instrument:
    if not isinstance(doc, Mapping):
        raise BadInput("instrument", "must be a mapping with name, scale, constructs and paths")
    constructs = _constructs(doc.get("constructs"))
    scale_doc = doc.get("scale") or {}
    if not isinstance(scale_doc, Mapping):
        raise BadInput("instrument.scale", "must be a mapping {min, max, min_label, max_label}")
    name = str(doc.get("name") or "").strip() or "unnamed instrument"
    model = {k: doc[k] for k in MODEL_KEYS if k in doc}
    # the same checks as any model spec: unknown constructs in paths, cycles, modes, the scale
    spec = parse_spec({
        "name": name,
        "constructs": {c.code: {"items": [i.code for i in c.items], "mode": c.mode} for c in constructs},
        "paths": doc.get("paths"),
        "scale": {k: scale_doc[k] for k in ("min", "max") if k in scale_doc},
        **model,
    })
    labels = (str(scale_doc.get("min_label", "")), str(scale_doc.get("max_label", "")))
    return Instrument(name, _version(doc.get("version", 1)), spec.scale, labels, constructs, spec.paths, model)


def _version(raw: Any) -> int:
    try:
        return int(raw)
    except (TypeError, ValueError) as exc:
        raise BadInput("instrument.version", f"must be an integer, got {raw!r}") from exc


def _constructs(raw: Any) -> tuple[InstrumentConstruct, ...]:
    if not isinstance(raw, Mapping) or not raw:
        raise BadInput("instrument.constructs", "a non-empty mapping of construct code → {label, items} is required")
    return tuple(_construct(str(code), body) for code, body in raw.items())


def _construct(code: str, body: Any) -> InstrumentConstruct:
    where = f"instrument.constructs.{code}"
    if not isinstance(body, Mapping):
        raise BadInput(where, "must be a mapping with label and items")
    label = str(body.get("label") or "").strip()
    if not label:
        raise BadInput(f"{where}.label", f"construct {code!r} needs a label (its Chinese name)")
    items = body.get("items")
    if not isinstance(items, Sequence) or isinstance(items, str) or not items:
        raise BadInput(f"{where}.items", f"construct {code!r} has no items")
    return InstrumentConstruct(code, label, str(body.get("label_en") or code), str(body.get("mode", "A")),
                               tuple(_item(where, i, entry) for i, entry in enumerate(items)))


def _item(where: str, position: int, entry: Any) -> Item:
    if not isinstance(entry, Mapping) or not str(entry.get("code") or "").strip():
        raise BadInput(f"{where}.items[{position}]", "each item needs a code (its column) and a text (its wording)")
    text = str(entry.get("text") or "").strip()
    if not text:
        raise BadInput(f"{where}.items[{position}]", f"item {entry['code']!r} has no wording (text)")
    return Item(str(entry["code"]).strip(), text)
