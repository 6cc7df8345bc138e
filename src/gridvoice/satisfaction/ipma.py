"""Importance–performance map analysis (IPMA; Ringle & Sarstedt 2016, methods.md §6.4): what to improve first.

- **Performance** of a construct is its 0–100 index (the mean of its rescaled scores); of an item, the mean
  of its rescaled answers.
- **Importance** of a construct is its *unstandardised* total effect on the target: how many points the
  target's 0–100 score gains when the construct's score gains one point. The 0–100 scores are affine
  transforms of the standardised scores, so it is the standardised total effect times sd(target*) / sd(X*).
  An item's importance is its construct's importance times its rescaled outer weight.
- The map's quadrants are split at the mean importance and mean performance of the rows shown (the usual
  reading, Martilla & James 1977): high importance with low performance is where to act (``improve``). Within
  it, rows are ranked by ``gain = importance × (100 − performance)``, the points the target would win if the
  row reached full performance.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from gridvoice.errors import BadInput
from gridvoice.satisfaction.pls import EstimationError, GroupFits, PlsResult, performance_sd, total_effects

Quadrant = Literal["improve", "keep_up", "low_priority", "possible_overkill"]


@dataclass(frozen=True)
class IpmaRow:
    name: str
    construct: str
    label: str | None
    importance: float
    performance: float
    gain: float
    quadrant: Quadrant

    def to_dict(self) -> dict[str, Any]:
        return dict(vars(self))


@dataclass(frozen=True)
class IpmaResult:
    target: str
    target_performance: float
    constructs: tuple[IpmaRow, ...]
    items: tuple[IpmaRow, ...]
    excluded: dict[str, str]  # construct → why it is not on the map

    def priorities(self, top: int | None = None) -> dict[str, list[str]]:
        """The constructs and items to improve first: the ``improve`` quadrant, largest gain first."""
        return {"constructs": _ranked(self.constructs, top), "items": _ranked(self.items, top)}

    def to_dict(self) -> dict[str, Any]:
        return {"target": self.target, "target_performance": self.target_performance,
                "constructs": [r.to_dict() for r in self.constructs], "items": [r.to_dict() for r in self.items],
                "priorities": self.priorities(), "excluded": self.excluded}


def _ranked(rows: tuple[IpmaRow, ...], top: int | None) -> list[str]:
    chosen = sorted((r for r in rows if r.quadrant == "improve"), key=lambda r: -r.gain)
    return [r.name for r in chosen][:top]


def ipma(result: PlsResult, target: str | None = None) -> IpmaResult:
    """The importance–performance map of everything that reaches `target` (default: the spec's target)."""
    spec = result.spec
    target = target or spec.target
    if not target:
        raise BadInput("target", "name the construct to explain (the spec's target, or --target)")
    names = spec.names
    if target not in names:
        raise BadInput("target", f"unknown construct {target!r}; the constructs are {list(names)}")
    t = names.index(target)
    design = result.design
    sd = performance_sd(result.rescaled, result.moments, design, spec.scale)
    if not np.isfinite(result.index_array[t]):
        raise EstimationError(f"the target {target} has a non-positive outer weight: its 0–100 score is undefined")
    total = total_effects(result.core.paths)
    drivers = [i for i in range(len(names)) if design.reachable[i, t]]
    if not drivers:
        raise BadInput("target", f"no construct has a path leading to {target}")
    excluded = {names[i]: "a non-positive outer weight: its 0–100 performance is undefined"
                for i in drivers if not np.isfinite(sd[i])}
    kept = [i for i in drivers if names[i] not in excluded]
    importance = {i: float(total[i, t] * sd[t] / sd[i]) for i in kept}
    constructs = [(names[i], names[i], spec.constructs[i].label, importance[i], float(result.index_array[i]))
                  for i in kept]
    performance = spec.scale.rescale(result.moments.mean)
    items = [(item, names[j], None, importance[j] * float(result.rescaled[k]), float(performance[k]))
             for k, (item, j) in enumerate(zip(spec.items, design.block_of, strict=True)) if j in importance]
    return IpmaResult(target, float(result.index_array[t]), _map(constructs), _map(items), excluded)


def _map(rows: list[tuple[str, str, str | None, float, float]]) -> tuple[IpmaRow, ...]:
    if not rows:
        return ()
    mean_importance = float(np.mean([r[3] for r in rows]))
    mean_performance = float(np.mean([r[4] for r in rows]))
    out = []
    for name, construct, label, imp, perf in rows:
        high, low = imp >= mean_importance, perf < mean_performance
        quadrant: Quadrant = ("improve" if high and low else "keep_up" if high
                              else "low_priority" if low else "possible_overkill")
        out.append(IpmaRow(name, construct, label, imp, perf, imp * (100.0 - perf), quadrant))
    return tuple(out)


def ipma_by_group(fits: GroupFits, target: str | None = None) -> dict[str, IpmaResult | str]:
    """The map of every fitted group; a group whose map is undefined gets the reason instead."""
    out: dict[str, IpmaResult | str] = {}
    for key, result in fits.results.items():
        try:
            out[key] = ipma(result, target)
        except (BadInput, EstimationError) as exc:
            out[key] = str(exc)
    return out
