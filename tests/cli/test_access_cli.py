"""`gridvoice users list|reset-password`, `keys create|revoke` and `audit export`: audited, with exit codes."""

from __future__ import annotations

import csv

from gridvoice.audit.models import AuditEntry
from gridvoice.auth.models import ApiKey

from .conftest import Cli, one_json, says


def test_reset_password_prints_a_temporary_one_and_forces_a_change(seeded: Cli) -> None:
    result = seeded("users", "reset-password", "agent_c1", "--reason", "locked out at the counter")
    assert result.exit_code == 0, result.output
    temporary = result.stdout.split("temporary password:")[1].strip()
    assert len(temporary) >= 12
    listed = one_json(seeded("users", "list", "--format", "json"))
    agent = next(u for u in listed if u["username"] == "agent_c1")
    assert agent["must_change_password"] is True and agent["locked"] is False
    missing = seeded("users", "reset-password", "nobody")
    assert missing.exit_code == 1 and says(missing, "nobody")


def test_api_keys_are_created_once_revoked_and_audited(seeded: Cli) -> None:
    created = seeded("keys", "create", "--name", "hotline-95598", "--scope", "appeals:create", "--org", "C1")
    assert created.exit_code == 0, created.output
    secret = created.stdout.strip()
    assert secret.startswith("gvk_")
    rt = seeded.runtime()
    try:
        with rt.sessions() as s:
            key = s.query(ApiKey).one()
            assert key.scopes == ["appeals:create"] and key.org_code == "C1"
            assert secret not in (key.key_digest, key.prefix)  # only a digest is kept
    finally:
        rt.dispose()
    bad_scope = seeded("keys", "create", "--name", "other", "--scope", "appeals:delete")
    assert bad_scope.exit_code == 2 and says(bad_scope, "scopes", "appeals:delete")
    bad_org = seeded("keys", "create", "--name", "other", "--scope", "appeals:read", "--org", "NOWHERE")
    assert bad_org.exit_code == 2 and says(bad_org, "org", "NOWHERE")
    assert seeded("keys", "revoke", "1", "--reason", "rotated").exit_code == 0
    assert seeded("keys", "revoke", "99").exit_code == 1
    assert seeded.count(AuditEntry) == 2  # create and revoke; the refused ones left nothing


def test_audit_export_writes_the_trail_and_records_itself(seeded: Cli) -> None:
    seeded("users", "reset-password", "handler_c1", "--reason", "=HYPERLINK(\"x\")")
    out = seeded.home / "audit" / "trail.csv"
    result = seeded("audit", "export", "--out", str(out), "--action", "user.password_reset")
    assert result.exit_code == 0, result.output
    raw = out.read_text(encoding="utf-8")
    assert raw.startswith("\ufeff时间(UTC)")
    rows = list(csv.reader(raw.lstrip("\ufeff").splitlines()))
    assert len(rows) == 2 and rows[1][3] == "user.password_reset" and rows[1][5] == "handler_c1"
    assert rows[1][6].startswith("'=")  # a reason written like a formula never runs in a spreadsheet
    again = seeded("audit", "export", "--out", str(out), "--action", "audit.export")
    assert again.exit_code == 0
    assert len(list(csv.reader(out.read_text(encoding="utf-8").splitlines()))) == 2  # the first export
