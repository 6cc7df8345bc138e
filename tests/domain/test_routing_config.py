"""Responsibility matrix and territory routing (`gridvoice.domain.routing`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gridvoice.domain.routing import (
    RoutingConfigError,
    load_responsibility,
    parse_responsibility,
    territory_for,
)
from gridvoice.domain.taxonomy import BusinessType, Department, Topic

DEFAULT = load_responsibility()


@pytest.mark.parametrize("bt", list(BusinessType))
def test_every_label_pair_routes_to_a_department_with_the_default_file(bt):
    for topic in Topic:
        dept = DEFAULT.department_for(bt.value, topic.value)
        assert isinstance(dept, Department)


@pytest.mark.parametrize(("bt", "topic", "dept"), [
    ("REPAIR", "OUTAGE", "OPERATIONS"),
    ("REPAIR", "FACILITY_SAFETY", "OPERATIONS"),
    ("REPAIR", "REMOTE_CONTROL", "MARKETING"),     # 费控: reaches the center as a repair, owned by marketing
    ("REPAIR", "METERING", "MARKETING"),
    ("REPAIR", "OTHER", "OPERATIONS"),             # business type outranks the topic wildcard
    ("COMPLAINT", "VOLTAGE", "OPERATIONS"),
    ("COMPLAINT", "STAFF_CONDUCT", "MARKETING"),
    ("INQUIRY", "OUTAGE_NOTICE", "DISPATCH"),
    ("INQUIRY", "OTHER", "COMMAND_CENTER"),
    ("REPORT", "OTHER", "MARKETING"),              # electricity theft goes to marketing (用电检查)
    ("PRAISE", "OTHER", "COMMAND_CENTER"),
    ("SERVICE_REQUEST", "NEW_CONNECTION", "MARKETING"),
])
def test_default_matrix_examples(bt, topic, dept):
    assert DEFAULT.department_for(bt, topic) == Department(dept)


RULES = [
    {"business_type": "REPAIR", "topic": "*", "department": "OPERATIONS"},
    {"business_type": "*", "topic": "METERING", "department": "MARKETING"},
    {"business_type": "REPAIR", "topic": "METERING", "department": "DISPATCH"},
    {"business_type": "*", "topic": "*", "department": "MARKETING"},
]


@settings(max_examples=30)
@given(order=st.permutations(RULES))
def test_most_specific_rule_wins_whatever_the_order(order):
    matrix = parse_responsibility({"default_department": "COMMAND_CENTER", "rules": list(order)})
    assert matrix.department_for("REPAIR", "METERING") == Department.DISPATCH        # both given
    assert matrix.department_for("REPAIR", "OUTAGE") == Department.OPERATIONS        # type beats wildcard
    assert matrix.department_for("COMPLAINT", "METERING") == Department.MARKETING     # topic beats wildcard
    assert matrix.department_for("COMPLAINT", "OUTAGE") == Department.MARKETING       # catch-all rule


def test_business_type_outranks_topic_between_single_wildcards():
    matrix = parse_responsibility({"rules": RULES[:2]})
    assert matrix.department_for("REPAIR", "METERING") == Department.OPERATIONS


def test_default_department_when_nothing_matches():
    matrix = parse_responsibility({"default_department": "DISPATCH", "rules": RULES[:1]})
    assert matrix.department_for("INQUIRY", "OTHER") == Department.DISPATCH
    assert parse_responsibility({}).department_for("INQUIRY", "OTHER") == Department.COMMAND_CENTER


@pytest.mark.parametrize(("rule", "field", "value"), [
    ({"business_type": "REPAIRS", "topic": "*", "department": "OPERATIONS"}, "rules[1].business_type", "REPAIRS"),
    ({"business_type": "REPAIR", "topic": "BLACKOUT", "department": "OPERATIONS"}, "rules[1].topic", "BLACKOUT"),
    ({"business_type": "REPAIR", "topic": "*", "department": "FINANCE"}, "rules[1].department", "FINANCE"),
    ({"business_type": "REPAIR", "topic": "*"}, "rules[1].department", "None"),
    ({"business_type": "repair", "topic": "*", "department": "OPERATIONS"}, "rules[1].business_type", "repair"),
    ({"business_type": ["REPAIR", "COMPLAINT"], "department": "OPERATIONS"}, "rules[1].business_type", "REPAIR"),
    ({"topic": 7, "department": "OPERATIONS"}, "rules[1].topic", "7"),
])
def test_bad_codes_name_the_field(rule, field, value):
    with pytest.raises(RoutingConfigError) as info:
        parse_responsibility({"rules": [RULES[0], rule]})
    assert field in str(info.value) and value in str(info.value)


def test_bad_default_department_names_the_field():
    with pytest.raises(RoutingConfigError, match="default_department"):
        parse_responsibility({"default_department": "NOBODY"})


def test_file_errors(tmp_path: Path):
    broken = tmp_path / "matrix.toml"
    broken.write_text("rules = [ {", encoding="utf-8")
    with pytest.raises(RoutingConfigError, match=r"matrix\.toml"):
        load_responsibility(broken)
    ok = tmp_path / "ok.toml"
    ok.write_text('version = "x1"\ndefault_department = "MARKETING"\n'
                  'rules = [{ business_type = "PRAISE", department = "COMMAND_CENTER" }]\n', encoding="utf-8")
    matrix = load_responsibility(ok)
    assert matrix.version == "x1"
    assert matrix.department_for("PRAISE", "STAFF_CONDUCT") == Department.COMMAND_CENTER
    assert matrix.department_for("INQUIRY", "OTHER") == Department.MARKETING


@pytest.mark.parametrize(("explicit", "area", "customer", "expected"), [
    ("C1", "T211", "T221", "C1"),
    (None, "T211", "T221", "T211"),
    (None, None, "T221", "T221"),
    (None, None, None, "HZ"),
    ("", "", None, "HZ"),
])
def test_territory_precedence(explicit, area, customer, expected):
    assert territory_for(explicit, area, customer, "HZ") == expected
