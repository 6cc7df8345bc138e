"""Models on disk: `GRIDVOICE_HOME/models/<version>/` holds `model.joblib` and `metadata.json`; the file
`models/CURRENT` names the installed one.

joblib files are pickles: load only models this installation wrote (they live in its own data folder).
"""

from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import joblib

from gridvoice.errors import BadInput

MODELS = "models"
POINTER = "CURRENT"
MODEL_FILE = "model.joblib"
META_FILE = "metadata.json"

_cache: dict[tuple[str, float], Any] = {}
_cache_lock = threading.Lock()


@dataclass(frozen=True)
class ModelInfo:
    path: Path
    metadata: dict[str, Any]
    current: bool = False


def models_dir(home: Path) -> Path:
    return Path(home) / MODELS


def pointer_file(home: Path) -> Path:
    return models_dir(home) / POINTER


def save(model: Any, metadata: dict[str, Any], directory: Path) -> Path:
    """Write the model and its metadata into `directory` (created; an existing model there is replaced)."""
    directory.mkdir(parents=True, exist_ok=True)
    partial = directory / (MODEL_FILE + ".partial")
    joblib.dump(model, partial, compress=3)
    os.replace(partial, directory / MODEL_FILE)
    _write_atomic(directory / META_FILE, json.dumps(metadata, ensure_ascii=False, indent=2) + "\n")
    return directory


def _write_atomic(path: Path, text: str) -> None:
    partial = path.with_name(path.name + ".partial")
    partial.write_text(text, "utf-8")
    os.replace(partial, path)


def new_version_dir(home: Path, version: str) -> Path:
    base = models_dir(home) / version
    candidate, n = base, 1
    while candidate.exists():
        n += 1
        candidate = base.with_name(f"{version}-{n}")
    return candidate


def install(home: Path, directory: Path) -> None:
    """Make the model in `directory` the current one (checked loadable first)."""
    directory = model_dir(directory)
    load(directory)
    models_dir(home).mkdir(parents=True, exist_ok=True)
    inside = directory.resolve().parent == models_dir(home).resolve()
    _write_atomic(pointer_file(home), (directory.name if inside else str(directory.resolve())) + "\n")


def current(home: Path) -> Path | None:
    """The installed model's folder, or None when no model is installed."""
    try:
        name = pointer_file(home).read_text("utf-8").strip()
    except OSError:
        return None
    if not name:
        return None
    path = Path(name) if os.path.isabs(name) else models_dir(home) / name
    return path if (path / MODEL_FILE).is_file() else None


def model_dir(path: Path) -> Path:
    """The folder of a model given as its folder or its model.joblib."""
    path = Path(path)
    if path.is_file() and path.name == MODEL_FILE:
        return path.parent
    if (path / MODEL_FILE).is_file():
        return path
    raise BadInput("model", f"{path}: no {MODEL_FILE} there (give a model folder or its {MODEL_FILE})")


def metadata(directory: Path) -> dict[str, Any]:
    try:
        return json.loads((directory / META_FILE).read_text("utf-8"))
    except (OSError, json.JSONDecodeError):
        return {}


def load(path: Path) -> Any:
    """The model in a folder (or its model.joblib), read once per process and file version."""
    from gridvoice.classifier.features import FEATURE_VERSION
    from gridvoice.classifier.model import AppealClassifier

    directory = model_dir(path)
    file = directory / MODEL_FILE
    key = (str(file.resolve()), file.stat().st_mtime)
    with _cache_lock:
        model = _cache.get(key)
        if model is None:
            try:
                model = joblib.load(file)
            except Exception as exc:  # a truncated or foreign pickle: say which file
                raise BadInput("model", f"{file}: cannot be loaded: {exc}") from exc
            if not isinstance(model, AppealClassifier):
                raise BadInput("model", f"{file}: not a gridvoice appeal classifier")
            if model.featurizer.version != FEATURE_VERSION:
                raise BadInput("model", f"{file}: built by an older gridvoice (features version "
                                        f"{model.featurizer.version}, now {FEATURE_VERSION}); train it again")
            _cache.clear()  # keep one model per process: they are tens of megabytes
            _cache[key] = model
    return model


def listing(home: Path) -> list[ModelInfo]:
    root = models_dir(home)
    if not root.is_dir():
        return []
    installed = current(home)
    found = [ModelInfo(d, metadata(d), installed is not None and d.resolve() == installed.resolve())
             for d in sorted(root.iterdir()) if (d / MODEL_FILE).is_file()]
    return sorted(found, key=lambda m: str(m.metadata.get("created_at", "")))
