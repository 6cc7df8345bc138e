"""The console runs without NiceGUI's in-browser Tailwind compiler: every CSS class its pages use must be defined
by Quasar (shipped with NiceGUI) or by the console's own stylesheet, or it would silently do nothing."""

from __future__ import annotations

import re
from pathlib import Path

import nicegui

from gridvoice.web.console import CONSOLE_CSS

WEB = Path(__file__).resolve().parents[2] / "src" / "gridvoice" / "web"
QUASAR_CSS = Path(nicegui.__file__).parent / "static"
# .classes("a b"), .classes(replace="a b"), classes(f"a {var}") and plain string constants ending in a color class
CLASSES_CALL = re.compile(r"""\.classes\(\s*(?:\w+=)?f?(["'])(.*?)\1""", re.S)
CLASS_SELECTOR = re.compile(r"\.((?:[A-Za-z0-9_-]|\\.)+)")


def defined_classes() -> set[str]:
    css = CONSOLE_CSS.read_text(encoding="utf-8")
    for path in QUASAR_CSS.glob("*.css"):
        css += path.read_text(encoding="utf-8")
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    return {m.group(1).replace("\\", "") for m in CLASS_SELECTOR.finditer(css)}


def used_classes() -> dict[str, str]:
    used: dict[str, str] = {}
    for path in WEB.rglob("*.py"):
        for match in CLASSES_CALL.finditer(path.read_text(encoding="utf-8")):
            for name in match.group(2).split():
                if "{" not in name:  # formatted at run time; the values are checked below
                    used.setdefault(name, path.name)
    return used


def test_every_class_the_console_uses_is_defined() -> None:
    defined = defined_classes()
    missing = {name: where for name, where in used_classes().items() if name not in defined}
    assert not missing, f"classes without a definition (add them to {CONSOLE_CSS.name}): {missing}"


def test_the_check_finds_classes_and_would_catch_an_undefined_one() -> None:
    used, defined = used_classes(), defined_classes()
    assert {"w-full", "text-h6", "gap-4"} <= set(used)
    assert "w-full" in defined and "text-h6" in defined
    assert "w-[13rem]" not in defined


def test_runtime_colour_classes_are_defined() -> None:
    defined = defined_classes()
    for name in ("bg-green-1", "bg-amber-1", "text-positive", "text-negative", "text-warning", "text-primary"):
        assert name in defined, name
