"""Opening the lake on an analytics engine: DuckDB (default, in-process) or PySpark (local mode or a cluster).

Every analysis is an Ibis expression over the tables returned here, so the same code runs on both engines.
Both read the Parquet files by explicit path (no partition discovery), so they see exactly the columns of
`lake.schema`, and an analysis of a few months reads only those months' files.
"""

from __future__ import annotations

import itertools
import os
import threading
from datetime import date
from pathlib import Path
from typing import Any, Literal

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from gridvoice.errors import BadInput
from gridvoice.lake import files
from gridvoice.lake.schema import UNITS_FILE, UNITS_SCHEMA, empty_appeals, month_of

Backend = Literal["duckdb", "pyspark"]
BACKENDS: tuple[Backend, ...] = ("duckdb", "pyspark")
_names = itertools.count(1)
_spark_lock = threading.Lock()


def lake_root(settings: Any) -> Path:
    """`$GRIDVOICE_HOME/lake`."""
    return Path(settings.home) / "lake"


def spark_session(threads: int | None = None) -> Any:
    """The process's Spark session (local mode unless `SPARK_MASTER` names a cluster)."""
    from pyspark.sql import SparkSession

    with _spark_lock:
        master = os.environ.get("SPARK_MASTER") or f"local[{threads or os.cpu_count() or 2}]"
        builder = (SparkSession.builder.appName("gridvoice").master(master)
                   .config("spark.sql.session.timeZone", "UTC")
                   .config("spark.ui.enabled", "false")
                   # small shuffles: the default 200 partitions cost more than they spread on a few cores
                   .config("spark.sql.shuffle.partitions", str(max(4, 2 * (threads or os.cpu_count() or 2))))
                   .config("spark.sql.ansi.enabled", "false")
                   .config("spark.ui.showConsoleProgress", "false"))
        session = builder.getOrCreate()
        session.sparkContext.setLogLevel("ERROR")
        return session


class LakeConnection:
    """An Ibis connection on the lake plus its tables (`appeals()`, `units()`)."""

    def __init__(self, root: Path, backend: Backend, threads: int | None = None) -> None:
        if backend not in BACKENDS:
            raise BadInput("backend", f"unknown backend '{backend}'; one of {', '.join(BACKENDS)}")
        self.root = Path(root)
        self.backend = backend
        self._spark: Any = None
        if backend == "duckdb":
            self.con = ibis.duckdb.connect(**({"threads": threads} if threads else {}))
        else:
            self._spark = spark_session(threads)
            self.con = ibis.pyspark.connect(self._spark)
        self._appeals: dict[tuple[str, ...], ir.Table] = {}
        self._units: ir.Table | None = None

    def partitions(self, first: date | None = None, last: date | None = None) -> list[Path]:
        """The partition files of the months overlapping [first, last] (all when open-ended)."""
        low = month_of(first) if first else ""
        high = month_of(last) if last else "9999-99"
        return [p for p in files.partition_files(self.root) if low <= files.month_of_partition(p) <= high]

    def appeals(self, first: date | None = None, last: date | None = None) -> ir.Table:
        """Appeals received in the months from `first` to `last` (local dates; the caller still filters days)."""
        paths = tuple(str(p) for p in self.partitions(first, last))
        if paths not in self._appeals:
            self._appeals[paths] = self._read(paths) if paths else self._empty(empty_appeals())
        return self._appeals[paths]

    def units(self) -> ir.Table:
        if self._units is None:
            path = self.root / UNITS_FILE
            self._units = self._read((str(path),)) if path.exists() else self._empty(UNITS_SCHEMA.empty_table())
        return self._units

    def _read(self, paths: tuple[str, ...]) -> ir.Table:
        name = f"lake_{next(_names)}"
        if self.backend == "duckdb":
            return self.con.read_parquet(list(paths), table_name=name, hive_partitioning=False,
                                         union_by_name=False)
        frame = self._spark.read.parquet(*paths)
        frame.createOrReplaceTempView(name)
        return self.con.table(name)

    def _empty(self, table: pa.Table) -> ir.Table:
        name = f"lake_empty_{next(_names)}"
        if self.backend == "duckdb":
            return self.con.create_table(name, table, temp=True)
        frame = self._spark.createDataFrame([], schema=_spark_schema(table.schema))
        frame.createOrReplaceTempView(name)
        return self.con.table(name)

    def to_arrow(self, expr: ir.Expr) -> pa.Table:
        """Run an expression; the result as an Arrow table (small: analyses aggregate inside the engine)."""
        table = self.con.to_pyarrow(expr)
        if self.backend == "duckdb":
            return table
        # Spark hands timestamps back without their zone; the session's zone is UTC
        schema = pa.schema([pa.field(f.name, pa.timestamp(f.type.unit, tz="UTC")) if pa.types.is_timestamp(f.type)
                            and f.type.tz is None else f for f in table.schema])
        return table.cast(schema)

    def rows(self, expr: ir.Expr) -> list[dict[str, Any]]:
        return self.to_arrow(expr).to_pylist()

    def close(self) -> None:
        if self.backend == "duckdb":
            self.con.disconnect()
        # the Spark session is the process's: it stays for the next connection

    def __enter__(self) -> LakeConnection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _spark_schema(schema: pa.Schema) -> Any:
    from pyspark.sql import types as T

    kinds = {pa.int64(): T.LongType(), pa.int32(): T.IntegerType(), pa.string(): T.StringType(),
             pa.bool_(): T.BooleanType(), pa.date32(): T.DateType(), pa.float64(): T.DoubleType()}
    fields = []
    for f in schema:
        kind = T.TimestampType() if pa.types.is_timestamp(f.type) else kinds[f.type]
        fields.append(T.StructField(f.name, kind, True))
    return T.StructType(fields)


def connect(root: Path | str | Any | None = None, backend: Backend = "duckdb",
            threads: int | None = None) -> LakeConnection:
    """Open the lake at `root` (a folder, or settings whose home holds `lake/`; default: the configured home)."""
    if root is None:
        from gridvoice.config import load_settings

        root = lake_root(load_settings())
    elif not isinstance(root, str | Path):
        root = lake_root(root)
    return LakeConnection(Path(root), backend, threads)
