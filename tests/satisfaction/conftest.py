"""Shared pieces of the satisfaction tests: the reference-data folder, the plspm example spec, CLI helpers."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from click.testing import Result

from gridvoice.satisfaction.spec import ModelSpec, parse_spec

REPO = Path(__file__).resolve().parents[2]
PLSPM_BLOCKS = {"IMAG": "imag", "EXPE": "expe", "QUAL": "qual", "VAL": "val", "SAT": "sat", "LOY": "loy"}
PLSPM_SIZES = {"IMAG": 5, "EXPE": 5, "QUAL": 5, "VAL": 4, "SAT": 4, "LOY": 4}
# the path matrix of the folder's README
PLSPM_PATHS = [["IMAG", "EXPE"], ["IMAG", "SAT"], ["IMAG", "LOY"], ["EXPE", "QUAL"], ["EXPE", "VAL"],
               ["EXPE", "SAT"], ["QUAL", "VAL"], ["QUAL", "SAT"], ["VAL", "SAT"], ["SAT", "LOY"]]


def shared_dir() -> Path:
    return Path(os.environ.get("GRIDVOICE_SHARED") or REPO.parent / "shared")


@pytest.fixture(scope="session")
def plspm_dir() -> Path:
    folder = shared_dir() / "reference-data" / "satisfaction-plspm"
    if not (folder / "satisfaction.csv").is_file():
        pytest.skip(f"reference data not found in {folder}")
    return folder


@pytest.fixture(scope="session")
def mobi_csv() -> Path:
    path = shared_dir() / "reference-data" / "mobi-ecsi.csv"
    if not path.is_file():
        pytest.skip(f"reference data not found: {path}")
    return path


def plspm_spec_doc(scheme: str = "centroid", scaled: bool = False) -> dict[str, Any]:
    constructs = {name: {"items": [f"{prefix}{i}" for i in range(1, PLSPM_SIZES[name] + 1)]}
                  for name, prefix in PLSPM_BLOCKS.items()}
    return {"constructs": constructs, "paths": PLSPM_PATHS, "scheme": scheme, "scaled": scaled,
            "scale": {"min": 0, "max": 10}, "target": "SAT"}


def plspm_spec(scheme: str = "centroid", scaled: bool = False) -> ModelSpec:
    return parse_spec(plspm_spec_doc(scheme, scaled))


def read_plspm(folder: Path) -> pd.DataFrame:
    return pd.read_csv(folder / "satisfaction.csv", index_col=0)


def squash(text: str) -> str:
    """Rich wraps long stderr lines: compare messages without whitespace."""
    return "".join(text.split())


def says(result: Result, *words: str) -> bool:
    return all(squash(w) in squash(result.stderr + result.stdout) for w in words)


def one_json(result: Result) -> Any:
    """Standard output is exactly one JSON document."""
    out = result.stdout.strip()
    assert out, result.stderr
    assert len(out.splitlines()) == 1
    return json.loads(out)
