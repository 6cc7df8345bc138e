"""The lake folder on disk: atomic file replacement, the partitions, the export state and its lock.

Every file is written beside its final name and renamed over it (`os.replace` is atomic on one file
system), so a reader sees the old partition or the new one, never half of one, and an export that dies
leaves only a stray temporary file that the next export removes.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from gridvoice.lake.schema import APPEALS_DIR, LAKE_FORMAT, PARTITION_KEY, STATE_FILE, partition_dir

ROW_GROUP = 128 * 1024
_TMP = ".tmp-"


@dataclass
class LakeState:
    """What the last export reached: re-runs read only what changed after `watermark` (minus the lag)."""

    format: int = LAKE_FORMAT
    salt: str = ""  # fingerprint of the salt the keys were made with
    watermark: str | None = None  # ISO instant: the newest appeal event the lake has seen
    exported_at: str | None = None
    appeals: int = 0
    partitions: dict[str, int] = field(default_factory=dict)  # month -> rows

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=2, sort_keys=True)


def read_state(root: Path) -> LakeState | None:
    path = root / STATE_FILE
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text("utf-8"))
        return LakeState(**data)
    except (ValueError, TypeError):
        return None  # unreadable state: the next export rebuilds the lake from scratch


def write_state(root: Path, state: LakeState) -> None:
    write_atomic_text(root / STATE_FILE, state.to_json())


def _temp_beside(path: Path) -> Path:
    return path.with_name(f"{_TMP}{uuid.uuid4().hex[:8]}-{path.name}")


def write_atomic_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _temp_beside(path)
    with tmp.open("w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def write_atomic_parquet(path: Path, table: pa.Table) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _temp_beside(path)
    try:
        pq.write_table(table, tmp, compression="zstd", row_group_size=ROW_GROUP)
        with tmp.open("rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def partition_file(root: Path, month: str) -> Path:
    return root / APPEALS_DIR / partition_dir(month) / "part-0.parquet"


def partition_files(root: Path) -> list[Path]:
    base = root / APPEALS_DIR
    if not base.is_dir():
        return []
    return sorted(base.glob(f"{PARTITION_KEY}=*/part-0.parquet"))


def month_of_partition(path: Path) -> str:
    return path.parent.name.split("=", 1)[1]


def remove_strays(root: Path) -> None:
    """Temporary files of an export that did not finish."""
    if root.is_dir():
        for stray in root.rglob(f"{_TMP}*"):
            if stray.is_dir():
                shutil.rmtree(stray, ignore_errors=True)
            else:
                stray.unlink(missing_ok=True)


def swap_in_directory(staged: Path, target: Path) -> None:
    """Replace `target` by `staged` (a full rebuild): two renames, the old tree removed afterwards."""
    old = target.with_name(f"{_TMP}old-{uuid.uuid4().hex[:8]}")
    if target.exists():
        os.replace(target, old)
    os.replace(staged, target)
    shutil.rmtree(old, ignore_errors=True)


def staging_dir(root: Path) -> Path:
    path = root / f"{_TMP}{uuid.uuid4().hex[:8]}-{APPEALS_DIR}"
    path.mkdir(parents=True)
    return path


@contextlib.contextmanager
def exclusive(root: Path) -> Iterator[None]:
    """One export at a time per lake (the CLI, the API's workers and the console may all refresh it)."""
    root.mkdir(parents=True, exist_ok=True)
    with (root / ".lock").open("w") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
