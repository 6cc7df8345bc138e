"""The satisfaction API: callbacks, fit / AHP / entropy, survey upload and CSI, the report — 422 naming the field on
bad input, and the survey's rows bounded by the caller's territory."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from gridvoice.api.app import create_app
from gridvoice.runtime import Runtime
from gridvoice.satisfaction.instrument import load_instrument
from gridvoice.satisfaction.simulate import DEFAULT_MEANS, DEFAULT_PATHS, simulate, simulate_default

try:
    from tests.conftest import PASSWORD
except ImportError:
    from conftest import PASSWORD  # type: ignore[no-redef]

from .conftest import plspm_spec_doc

API = "/api/v1"
Auth = Callable[[str], dict[str, str]]


@pytest.fixture
def api(runtime: Runtime) -> Iterator[tuple[TestClient, Auth]]:
    cache: dict[str, dict[str, str]] = {}
    with TestClient(create_app(runtime)) as client:
        def auth(username: str) -> dict[str, str]:
            if username not in cache:
                r = client.post(f"{API}/auth/token", data={"username": username, "password": PASSWORD})
                cache[username] = {"Authorization": f"Bearer {r.json()['access_token']}"}
            return cache[username]
        yield client, auth


def _field(response: Any) -> list[str]:
    """The names in the locations of a 422 answer."""
    assert response.status_code == 422, response.text
    return [str(part) for item in response.json()["detail"] for part in item["loc"]]


def _survey_file(n: int = 600, seed: int = 4, period: str = "2026-Q2") -> bytes:
    survey = simulate(load_instrument().spec(), n, seed, paths=DEFAULT_PATHS, means=DEFAULT_MEANS,
                      units=("C1", "C2"), periods=(period,))
    return survey.frame.to_csv(index=False).encode("utf-8")


def _upload(client: TestClient, headers: dict[str, str], data: bytes, **form: str) -> Any:
    return client.post(f"{API}/satisfaction/surveys", files={"file": ("answers.csv", io.BytesIO(data), "text/csv")},
                       data=form, headers=headers)


# ------------------------------------------------------------------------------------------------ callbacks


def test_callback_scores_are_checked_by_the_events_route(api: tuple[TestClient, Auth]) -> None:
    client, auth = api
    body = {"channel": "HOTLINE_95598", "content": "停电", "business_type": "INQUIRY", "topic": "OUTAGE",
            "urgent": False, "org_unit": "T111"}
    appeal = client.post(f"{API}/appeals", json=body, headers=auth("agent_city")).json()
    r = client.post(f"{API}/appeals/{appeal['id']}/events", json={"action": "resolve", "version": appeal["version"],
                                                                  "note": "已答复"}, headers=auth("agent_city"))
    version = r.json()["version"]
    bad = {"action": "callback", "version": version, "verdict": "dissatisfied", "scores": {"speed": 11}}
    assert {"scores", "speed"} <= set(_field(client.post(f"{API}/appeals/{appeal['id']}/events", json=bad,
                                                         headers=auth("agent_city"))))
    good = {**bad, "scores": {"speed": 2, "result": 3}, "reason": "答复没有解决问题"}
    r = client.post(f"{API}/appeals/{appeal['id']}/events", json=good, headers=auth("agent_city"))
    assert r.status_code == 200 and r.json()["status"] == "dispatched"
    report = client.get(f"{API}/satisfaction/callbacks", params={"by": "unit"}, headers=auth("analyst_city")).json()
    assert report["overall"]["dissatisfied"] == 1 and report["overall"]["scores"]["speed"] == 2.0
    assert report["reasons"][0]["reason"] == "答复没有解决问题"
    queue = client.get(f"{API}/satisfaction/callbacks/rehandling", headers=auth("analyst_city")).json()
    assert [a["id"] for a in queue] == [appeal["id"]]


@pytest.mark.parametrize(("params", "field"), [
    ({"by": "weekday"}, "by"), ({"period": "2026-Q5"}, "period"),
    ({"period": "2026-Q1", "received_from": "2026-01-01T00:00:00"}, "period"), ({"org_unit": "NOPE"}, "org_unit"),
    ({"granularity": "week"}, "granularity"),
])
def test_callback_report_refuses_bad_parameters(api: tuple[TestClient, Auth], params: dict[str, str],
                                                field: str) -> None:
    client, auth = api
    assert field in _field(client.get(f"{API}/satisfaction/callbacks", params=params, headers=auth("analyst_city")))


# ------------------------------------------------------------------------------------------------ models


def test_fit_of_posted_rows(api: tuple[TestClient, Auth]) -> None:
    client, auth = api
    survey = simulate_default(400, seed=2)
    body = {"spec": survey.spec.to_dict(), "data": survey.frame[list(survey.spec.items)].to_dict("records"),
            "bootstrap": 100, "seed": 1}
    doc = client.post(f"{API}/satisfaction/fit", json=body, headers=auth("analyst_city")).json()
    assert set(doc["path_coefficients"]) == {f"{a} -> {b}" for a, b in survey.spec.paths}
    assert doc["ipma"]["target"] == "SAT" and doc["bootstrap"]["resamples"] == 100
    assert 0 < doc["index"]["SAT"] < 100


@pytest.mark.parametrize(("change", "field"), [
    (lambda b: b["spec"]["paths"].append(["LOY", "IMAG"]), "paths"),  # a cycle
    (lambda b: b["spec"]["constructs"]["IMAG"].update(items=["imag1", "nope"]), "constructs.IMAG.items"),
    (lambda b: b.pop("spec"), "spec"),
    (lambda b: b["data"][3].update(imag1="很好"), "column imag1"),
    (lambda b: b.update(unit="C1"), "unit"),
])
def test_fit_refuses_bad_specs_and_data(api: tuple[TestClient, Auth], change: Callable[[dict[str, Any]], Any],
                                        field: str) -> None:
    client, auth = api
    survey = simulate_default(200, seed=3)
    body = {"spec": survey.spec.to_dict(), "data": survey.frame[list(survey.spec.items)].to_dict("records")}
    change(body)
    assert field in _field(client.post(f"{API}/satisfaction/fit", json=body, headers=auth("analyst_city")))


def test_ahp_and_entropy(api: tuple[TestClient, Auth]) -> None:
    client, auth = api
    body = {"matrix": [[1, 3, 5], ["1/3", 1, 3], ["1/5", "1/3", 1]], "labels": ["供电", "服务", "价格"]}
    ahp = client.post(f"{API}/satisfaction/ahp", json=body, headers=auth("analyst_city"))
    doc = ahp.json()
    assert list(doc["weights"]) == ["供电", "服务", "价格"] and doc["weights"]["供电"] > 0.6 and doc["cr"] < 0.1
    assert "matrix[1]" in _field(client.post(f"{API}/satisfaction/ahp", json={"matrix": [[1, 2], [1]]},
                                             headers=auth("analyst_city")))
    assert "matrix" in _field(client.post(f"{API}/satisfaction/ahp", json={"matrix": [[1, 2], [2, 1]]},
                                          headers=auth("analyst_city")))  # not reciprocal
    rows = [{"cost": 10, "speed": 3}, {"cost": 20, "speed": 3.5}, {"cost": 15, "speed": 9}]
    weights = client.post(f"{API}/satisfaction/entropy", json={"data": rows, "negative": ["cost"]},
                          headers=auth("analyst_city")).json()["weights"]
    assert set(weights) == {"cost", "speed"} and sum(weights.values()) == pytest.approx(1.0)
    assert "negative" in _field(client.post(f"{API}/satisfaction/entropy", json={"data": rows, "negative": ["x"]},
                                            headers=auth("analyst_city")))


def test_fit_reproduces_the_cli_on_the_plspm_reference(api: tuple[TestClient, Auth], plspm_dir: Any) -> None:
    import pandas as pd

    client, auth = api
    frame = pd.read_csv(plspm_dir / "satisfaction.csv", index_col=0)
    body = {"spec": plspm_spec_doc("centroid"), "data": frame.to_dict("records")}
    doc = client.post(f"{API}/satisfaction/fit", json=body, headers=auth("analyst_city")).json()
    reference = pd.read_csv(plspm_dir / "satisfaction.outer-model.csv")
    assert len(reference) == len(doc["outer_weights"])
    for row in reference.itertuples():
        assert doc["outer_weights"][row.name] == pytest.approx(row.weight, abs=1e-6)
        assert doc["outer_loadings"][row.name] == pytest.approx(row.loading, abs=1e-6)


# ------------------------------------------------------------------------------------------------ surveys


def test_upload_list_csi_and_territory(api: tuple[TestClient, Auth]) -> None:
    client, auth = api
    r = _upload(client, auth("analyst_city"), _survey_file(), survey_id="wave-1", title="二季度调查")
    assert r.status_code == 201, r.text
    assert r.json()["stored"] and r.json()["counts"]["accepted"] == 600
    listed = client.get(f"{API}/satisfaction/surveys", headers=auth("county_manager_c1")).json()
    assert [m["id"] for m in listed] == ["wave-1"] and listed[0]["imported_by"] == "analyst_city"
    csi = client.get(f"{API}/satisfaction/surveys/wave-1/csi", params={"by": "unit"},
                     headers=auth("analyst_city")).json()
    assert set(csi["groups"]) == {"C1", "C2"} and csi["names"]["C1"] == "东坪县" and csi["overall"]["n"] == 600
    scoped = client.get(f"{API}/satisfaction/surveys/wave-1/csi", params={"by": "unit"},
                        headers=auth("county_manager_c1")).json()
    assert set(scoped["groups"]) == {"C1"} and scoped["rows"] == csi["groups"]["C1"]["n"]
    fit = client.post(f"{API}/satisfaction/fit", json={"survey_id": "wave-1", "unit": "C2"},
                      headers=auth("analyst_city")).json()
    assert fit["observations"]["used"] == csi["groups"]["C2"]["n"]
    assert client.get(f"{API}/satisfaction/surveys/nope/csi", headers=auth("analyst_city")).status_code == 404
    assert "by" in _field(client.get(f"{API}/satisfaction/surveys/wave-1/csi", params={"by": "age"},
                                     headers=auth("analyst_city")))


def test_upload_refusals(api: tuple[TestClient, Auth]) -> None:
    client, auth = api
    data = _survey_file(200, seed=8)
    assert _upload(client, auth("county_manager_city"), data).status_code == 403
    dry = _upload(client, auth("analyst_city"), data, dry_run="true")
    assert dry.status_code == 200 and not dry.json()["stored"]
    assert _upload(client, auth("analyst_city"), data, survey_id="w2").status_code == 201
    assert "file" in _field(_upload(client, auth("analyst_city"), data, survey_id="w3"))  # the same file again
    assert "survey_id" in _field(_upload(client, auth("analyst_city"), data + b"\n", survey_id="w2"))
    assert "survey_id" in _field(_upload(client, auth("analyst_city"), data + b"\n", survey_id="../etc"))
    lines = data.decode().splitlines()
    broken = "\n".join([lines[0], lines[1].replace(",C1,", ",ZZ,").replace(",C2,", ",ZZ,"), *lines[2:]]).encode()
    atomic = _upload(client, auth("analyst_city"), broken, survey_id="w4", mode="atomic")
    assert "file" in _field(atomic) and "row 2 unit" in atomic.text
    outside = _upload(client, auth("analyst_c1"), _survey_file(100, seed=9), survey_id="w5")
    assert outside.status_code == 201 and outside.json()["counts"]["rejected"] > 0  # C2's rows: outside C1
    assert all(p["field"] == "unit" for p in outside.json()["problems"])


def test_report_html_and_pdf(api: tuple[TestClient, Auth]) -> None:
    client, auth = api
    assert _upload(client, auth("analyst_city"), _survey_file(), survey_id="wave-r").status_code == 201
    html = client.get(f"{API}/satisfaction/report", params={"unit": "C1", "period": "2026-Q2", "resamples": 200},
                      headers=auth("analyst_city"))
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    assert "东坪县（C1）客户满意度分析报告" in html.text and 'id="csi"' in html.text and "<svg" in html.text
    pdf = client.get(f"{API}/satisfaction/report", params={"unit": "C1", "period": "2026-Q2", "format": "pdf",
                                                            "resamples": 0}, headers=auth("analyst_city"))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client.get(f"{API}/satisfaction/report", params={"unit": "C2", "period": "2026-Q2"},
                      headers=auth("county_manager_c1")).status_code == 404  # outside the territory
    assert "period" in _field(client.get(f"{API}/satisfaction/report", params={"unit": "C1", "period": "Q2"},
                                         headers=auth("analyst_city")))
