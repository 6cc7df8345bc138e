"""`gridvoice satisfaction fit|ahp|entropy|fuzzy|instrument|simulate` against interfaces.md: one JSON document
on stdout with `--format json`, exit 2 naming the field or line on bad input."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml
from click.testing import Result
from typer.testing import CliRunner

from gridvoice.cli import app

from .conftest import one_json, plspm_spec_doc, says

runner = CliRunner()
SAATY = """,coffee,wine,tea,beer,soda,milk,water
coffee,1,9,5,2,1,1,1/2
wine,1/9,1,1/3,1/9,1/9,1/9,1/9
tea,1/5,3,1,1/3,1/4,1/3,1/9
beer,1/2,9,3,1,1/2,1,1/3
soda,1,9,4,2,1,2,1/2
milk,1,9,3,1,1/2,1,1/3
water,2,9,9,3,2,3,1
"""
XU = "alternative,c1,c2,c3,c4\nA1,30,30,38,29\nA2,19,54,86,29\nA3,19,15,85,28.9\nA4,68,70,60,29\n"
FCE = ("factor,优秀,良好,一般,较差\n菜品,0.5,0.3,0.2,0.0\n服务,0.2,0.4,0.3,0.1\n"
       "环境,0.1,0.3,0.5,0.1\n价格,0.0,0.2,0.4,0.4\n")


def run(*args: str) -> Result:
    return runner.invoke(app, ["satisfaction", *args], catch_exceptions=False)


def write(path: Path, text: str) -> Path:
    path.write_text(text, "utf-8")
    return path


def spec_file(tmp_path: Path, scheme: str = "centroid", **changes: object) -> Path:
    doc = {**plspm_spec_doc(scheme), **changes}
    return write(tmp_path / f"spec-{scheme}.yaml", yaml.safe_dump(doc, allow_unicode=True, sort_keys=False))


# ------------------------------------------------------------------------------------------------------ fit


@pytest.mark.parametrize(("scheme", "reference"), [("centroid", "satisfaction.outer-model.csv"),
                                                   ("path", "satisfaction.outer-model-path.csv")])
def test_fit_reproduces_plspm_through_the_cli(tmp_path: Path, plspm_dir: Path, scheme: str, reference: str) -> None:
    result = run("fit", "--spec", str(spec_file(tmp_path, scheme)), "--data", str(plspm_dir / "satisfaction.csv"),
                 "--format", "json")
    assert result.exit_code == 0, result.stderr
    doc = one_json(result)
    outer = pd.read_csv(plspm_dir / reference)
    for _, row in outer.iterrows():
        assert doc["outer_weights"][row["name"]] == pytest.approx(row["weight"], abs=1e-8)
        assert doc["outer_loadings"][row["name"]] == pytest.approx(row["loading"], abs=1e-8)
    if scheme == "centroid":
        effects = pd.read_csv(plspm_dir / "satisfaction.effects.csv", index_col=0)
        assert doc["total_effects"] == pytest.approx(effects["total"].to_dict(), abs=1e-8)
        assert doc["path_coefficients"] == pytest.approx(
            {k: v for k, v in effects["direct"].items() if k in doc["path_coefficients"]}, abs=1e-8)
        summary = pd.read_csv(plspm_dir / "satisfaction.inner-summary.csv", index_col=0)
        assert doc["r_squared"] == pytest.approx(summary["r_squared"][summary["type"] == "Endogenous"].to_dict(),
                                                 abs=1e-8)
    assert set(doc["index"]) == {"IMAG", "EXPE", "QUAL", "VAL", "SAT", "LOY"}
    assert all(0 <= v <= 100 for v in doc["index"].values())
    assert set(doc["reliability"]["SAT"]) == {"cronbach_alpha", "composite_reliability", "ave"}
    assert doc["ipma"]["target"] == "SAT"


def test_fit_with_bootstrap_and_groups(tmp_path: Path, plspm_dir: Path) -> None:
    args = ("fit", "--spec", str(spec_file(tmp_path)), "--data", str(plspm_dir / "satisfaction.csv"),
            "--format", "json", "--bootstrap", "30", "--seed", "4", "--by", "gender")
    first, second = run(*args), run(*args)
    assert first.exit_code == 0, first.stderr
    doc = one_json(first)
    assert doc["bootstrap"] == one_json(second)["bootstrap"]
    assert doc["bootstrap"]["resamples"] == 30 and doc["bootstrap"]["seed"] == 4
    iv = doc["bootstrap"]["path_coefficients"]["VAL -> SAT"]
    assert iv["ci_low"] < doc["path_coefficients"]["VAL -> SAT"] < iv["ci_high"]
    assert set(doc["groups"]["groups"]) == {"female", "male"}
    assert doc["groups"]["groups"]["male"]["ipma"]["target"] == "SAT"


def test_fit_text_output(tmp_path: Path, plspm_dir: Path) -> None:
    result = run("fit", "--spec", str(spec_file(tmp_path)), "--data", str(plspm_dir / "satisfaction.csv"))
    assert result.exit_code == 0
    assert says(result, "IMAG -> EXPE", "0.579", "improve first")


@pytest.mark.parametrize(("change", "words"), [
    ({"paths": [["IMAG", "EXPE"], ["EXPE", "SAT"], ["SAT", "IMAG"], ["SAT", "LOY"], ["EXPE", "QUAL"],
                ["QUAL", "VAL"]]}, ("cycle", "IMAG -> EXPE -> SAT -> IMAG")),
    ({"scheme": "radial"}, ("scheme", "'radial'")),
    ({"scale": {"min": 1, "max": 10}}, ("outside the scale 1–10", "line 18 column expe2: 0")),
])
def test_fit_bad_spec(tmp_path: Path, plspm_dir: Path, change: dict, words: tuple[str, ...]) -> None:
    result = run("fit", "--spec", str(spec_file(tmp_path, **change)), "--data", str(plspm_dir / "satisfaction.csv"),
                 "--format", "json")
    assert result.exit_code == 2 and result.stdout == ""
    assert says(result, *words), result.stderr


def test_fit_bad_data(tmp_path: Path, plspm_dir: Path) -> None:
    lines = (plspm_dir / "satisfaction.csv").read_text("utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[5].split(",")
    cells[header.index('"sat2"')] = "abc"
    bad = write(tmp_path / "bad.csv", "\n".join([*lines[:5], ",".join(cells), *lines[6:]]) + "\n")
    result = run("fit", "--spec", str(spec_file(tmp_path)), "--data", str(bad), "--format", "json")
    assert result.exit_code == 2 and says(result, "column sat2", "line 6", "'abc'")
    short = write(tmp_path / "short.csv", "\n".join(lines[:4]) + "\n")
    assert says(run("fit", "--spec", str(spec_file(tmp_path)), "--data", str(short)), "too few rows: 3")
    missing = run("fit", "--spec", str(spec_file(tmp_path)), "--data", str(tmp_path / "none.csv"))
    assert missing.exit_code == 2 and says(missing, "does not exist")
    no_item = write(tmp_path / "noitem.csv", lines[0].replace('"loy4"', '"loyalty4"') + "\n" + "\n".join(lines[1:]))
    result = run("fit", "--spec", str(spec_file(tmp_path)), "--data", str(no_item))
    assert result.exit_code == 2 and says(result, "constructs.LOY.items", "'loy4'")


def test_default_instrument_end_to_end(tmp_path: Path) -> None:
    spec = run("instrument", "--as-spec")
    assert spec.exit_code == 0
    spec_path = write(tmp_path / "instrument.yaml", spec.stdout)
    data = tmp_path / "answers.csv"
    made = run("simulate", "--out", str(data), "--n", "800", "--seed", "3", "--format", "json")
    assert one_json(made)["rows"] == 800
    doc = one_json(run("fit", "--spec", str(spec_path), "--data", str(data), "--format", "json", "--by", "unit"))
    assert set(doc["index"]) == {"IMAG", "EXPE", "SUPPLY", "SERVICE", "PROCESS", "VAL", "SAT", "COMP", "LOY"}
    assert doc["ipma"]["target"] == "SAT" and doc["ipma"]["priorities"]["constructs"]
    assert doc["groups"]["by"] == "unit" and doc["groups"]["groups"]
    wording = one_json(run("instrument", "--format", "json"))
    assert wording["constructs"]["SUPPLY"]["label"] == "供电质量"


# ---------------------------------------------------------------------------------------------- weighting


def test_ahp_saaty_2008(tmp_path: Path) -> None:
    doc = one_json(run("ahp", "--matrix", str(write(tmp_path / "drinks.csv", SAATY)), "--format", "json"))
    published = {"coffee": .177, "wine": .019, "tea": .042, "beer": .116, "soda": .190, "milk": .129, "water": .327}
    assert {k: round(v, 3) for k, v in doc["weights"].items()} == published
    assert round(doc["cr"], 3) == 0.022 and doc["lambda_max"] == pytest.approx(7.1766, abs=1e-4)
    assert doc["ci"] == pytest.approx((doc["lambda_max"] - 7) / 6)
    dd = one_json(run("ahp", "--matrix", str(tmp_path / "drinks.csv"), "--format", "json",
                      "--random-index", "donegan_dodd"))
    assert round(dd["cr"], 4) == 0.0235
    text = run("ahp", "--matrix", str(tmp_path / "drinks.csv"))
    assert text.exit_code == 0 and says(text, "acceptable")


@pytest.mark.parametrize(("text", "words"), [
    (SAATY.replace("tea,1/5,3,1,", "tea,1/5,3,1,3,", 1).replace(",1/3,1/4,1/3,1/9\n", ",1/4,1/3,1/9\n", 1),
     ("row 'beer', column 'tea'", "reciprocal")),
    (SAATY.replace("wine,1/9,1,1/3", "wine,1/9,1,1/2"), ("row 'wine', column 'tea'", "reciprocal")),
    (SAATY.replace("tea,1/5,3,1,", "tea,1/5,3,x,"), ("line 4, column tea", "'x' is not a number")),
    (SAATY.replace("soda,1,9,4,2,1,2,1/2", "soda,1,9,4,2,-1,2,1/2"), ("row 'soda', column 'soda'",)),
    ("a,b\n1,2\n3,4\n5,6\n", ("must be square",)),
    (SAATY.replace("\nmilk,", "\nMILK,"), ("line 7", "'MILK'")),
])
def test_ahp_bad_matrix(tmp_path: Path, text: str, words: tuple[str, ...]) -> None:
    result = run("ahp", "--matrix", str(write(tmp_path / "m.csv", text)), "--format", "json")
    assert result.exit_code == 2 and result.stdout == ""
    assert says(result, *words), result.stderr


def test_entropy(tmp_path: Path) -> None:
    path = str(write(tmp_path / "xu.csv", XU))
    raw = one_json(run("entropy", "--data", path, "--id", "alternative", "--normalisation", "sum",
                       "--format", "json"))
    assert [round(w, 4) for w in raw["weights"].values()] == [0.4630, 0.3992, 0.1378, 0.0000]
    minmax = one_json(run("entropy", "--data", path, "--id", "alternative", "--format", "json"))
    assert [round(w, 4) for w in minmax["weights"].values()] == [0.4694, 0.2066, 0.1755, 0.1484]
    negative = one_json(run("entropy", "--data", path, "--id", "alternative", "--negative", "c2",
                            "--format", "json"))
    assert negative["negative"] == ["c2"] and sum(negative["weights"].values()) == pytest.approx(1)


@pytest.mark.parametrize(("args", "words"), [
    (("--negative", "c9", "--id", "alternative"), ("unknown column 'c9'",)),
    ((), ("line 2, column alternative", "'A1'")),
    (("--id", "alternative", "--normalisation", "zscore"), ("normalisation", "'zscore'")),
])
def test_entropy_bad_input(tmp_path: Path, args: tuple[str, ...], words: tuple[str, ...]) -> None:
    result = run("entropy", "--data", str(write(tmp_path / "xu.csv", XU)), "--format", "json", *args)
    assert result.exit_code == 2 and says(result, *words), result.stderr


def test_fuzzy(tmp_path: Path) -> None:
    path = str(write(tmp_path / "r.csv", FCE))
    doc = one_json(run("fuzzy", "--membership", path, "--weights", "0.4,0.3,0.2,0.1", "--format", "json",
                       "--scores", "95,85,75,65"))
    assert [round(v, 2) for v in doc["vector"].values()] == [0.28, 0.32, 0.31, 0.09]
    assert doc["grade"] == "良好" and doc["score"] == pytest.approx(0.28 * 95 + 0.32 * 85 + 0.31 * 75 + 0.09 * 65)
    zadeh = one_json(run("fuzzy", "--membership", path, "--weights", "0.4,0.3,0.2,0.1", "--operator", "M(∧,∨)",
                         "--format", "json"))
    assert [round(v, 2) for v in zadeh["vector"].values()] == [0.4, 0.3, 0.3, 0.1]
    bad = run("fuzzy", "--membership", path, "--weights", "0.4,0.3,0.2", "--format", "json")
    assert bad.exit_code == 2 and says(bad, "3 weights")


@pytest.mark.parametrize("command", ["fit", "ahp", "entropy", "fuzzy", "instrument", "simulate"])
def test_help(command: str) -> None:
    assert run(command, "--help").exit_code == 0
