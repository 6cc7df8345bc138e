"""Normalised identifiers and their keyed hashes; text redaction; the lake's files (atomic writes, strays)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from types import SimpleNamespace

from hypothesis import given
from hypothesis import strategies as st

from gridvoice.lake import files
from gridvoice.lake.connect import LakeConnection
from gridvoice.lake.privacy import (
    SALT_FILE,
    Pseudonymiser,
    key_text,
    load_salt,
    normalise_address,
    normalise_phone,
    redact,
)
from gridvoice.lake.schema import APPEALS_SCHEMA

KEYS = Pseudonymiser(b"salt-one")


@given(st.text(alphabet="0123456789", min_size=7, max_size=11))
def test_a_phone_written_any_way_is_one_key(digits):
    wide = digits.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    variants = [digits, f" {digits[:3]}-{digits[3:]} ", wide]
    if len(digits) == 11:
        variants += [f"+86 {digits}", f"0086{digits}", f"86{digits}"]
    assert {normalise_phone(v) for v in variants} == {digits}
    assert len({KEYS.phone(v) for v in variants}) == 1


@given(st.text(min_size=1, max_size=40))
def test_keys_are_stable_signed_64_bit_and_salt_dependent(value):
    key = KEYS.customer(value)
    if key is None:
        return
    assert -(2**63) <= key < 2**63 and KEYS.customer(value) == key
    assert Pseudonymiser(b"salt-two").customer(value) != key or value.strip() == ""
    assert len(key_text(key) or "") == 16


def test_addresses_ignore_spacing_punctuation_and_width():
    assert normalise_address("东坪镇 幸福路１号，") == normalise_address("东坪镇幸福路1号") == "东坪镇幸福路1号"
    assert normalise_address("  ,，") is None and KEYS.address(None) is None


@given(st.text(max_size=80))
def test_redaction_removes_every_long_digit_run(text):
    out = redact(text)
    run = 0
    for ch in out:
        run = run + 1 if ch.isdecimal() and ch.isascii() else 0
        assert run < 10
    assert redact("工号12345，电话13912345678") == "工号12345，电话＃"


def test_the_salt_file_is_private_and_reused(tmp_path: Path):
    settings = SimpleNamespace(home=tmp_path)
    salt = load_salt(settings)
    assert load_salt(settings) == salt and len(salt) == 64
    assert (tmp_path / SALT_FILE).stat().st_mode & 0o777 == 0o600
    assert load_salt(SimpleNamespace(home=tmp_path, lake_salt="configured")) == b"configured"


def test_atomic_writes_leave_no_strays_and_partitions_filter_by_month(tmp_path: Path):
    table = APPEALS_SCHEMA.empty_table()
    for month in ("2026-01", "2026-02", "2026-03"):
        files.write_atomic_parquet(files.partition_file(tmp_path, month), table)
    (tmp_path / "appeals" / ".tmp-dead-part.parquet").write_text("half")
    files.remove_strays(tmp_path)
    assert not list(tmp_path.rglob(".tmp-*"))
    conn = LakeConnection(tmp_path, "duckdb")
    try:
        months = [files.month_of_partition(p) for p in conn.partitions(date(2026, 2, 3), date(2026, 3, 1))]
        assert months == ["2026-02", "2026-03"]
        assert conn.con.execute(conn.appeals(date(2030, 1, 1), date(2030, 2, 1)).count()) == 0
        assert conn.units().schema().names[0] == "code"
    finally:
        conn.close()
