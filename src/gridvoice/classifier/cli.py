"""`gridvoice classify` and `gridvoice model …` commands.

`classify`, `model train` and `model evaluate` are the stable interfaces of interfaces.md; `model list` and
`model use` help around them. Progress goes to standard error; with `--format json` a command prints one JSON
document on standard output. Heavy imports (scikit-learn, numpy) happen inside the commands, so `gridvoice
--help` stays quick.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from gridvoice.cli_support import OutputFormat, emit_json, err, guarded, runtime
from gridvoice.errors import BadInput

if TYPE_CHECKING:
    from gridvoice.classifier.model import AppealClassifier, LabelledTexts
    from gridvoice.runtime import Runtime

model_app = typer.Typer(help="The appeal classifier: train, evaluate, list and choose models.", no_args_is_help=True)
out = Console(highlight=False)

FormatOption = Annotated[OutputFormat, typer.Option("--format", help="text (tables) or json (one document)")]
ModelOption = Annotated[Path | None, typer.Option("--model", help="a model folder or its model.joblib; "
                                                  "default: the installed model (built on first use)")]
TextFieldOption = Annotated[str, typer.Option("--text-field", help="field holding the text (default: text, "
                                              "else content / 诉求内容)")]
LexiconOption = Annotated[Path | None, typer.Option("--lexicon", help="urgency lexicon TOML (default: shipped)")]


def _say(message: str) -> None:
    err.print(message, highlight=False)


def _load(rt: Runtime, path: Path | None, lexicon: Path | None) -> AppealClassifier:
    from gridvoice.classifier import registry
    from gridvoice.classifier.training import ensure_default_model
    from gridvoice.classifier.urgency import UrgencyLexicon

    directory = path if path is not None else ensure_default_model(rt.settings.home, progress=_say)
    model = registry.load(directory)
    if lexicon is not None:
        model.lexicon = UrgencyLexicon.load(lexicon)
    return model


def classify(
    input: Annotated[Path, typer.Option("--input", help="JSON Lines; each line an object with the text field")],
    model: ModelOption = None,
    text_field: TextFieldOption = "text",
    explain: Annotated[bool, typer.Option("--explain", help="add the n-grams and cues behind each prediction")
                       ] = False,
    top: Annotated[int, typer.Option(min=1, max=50, help="drivers shown per label with --explain")] = 8,
    lexicon: LexiconOption = None,
) -> None:
    """Label appeal texts: JSON Lines in, JSON Lines out (each input object plus `predicted`), same order."""
    from gridvoice.classifier.batch import classified_lines, read_inputs

    rt = runtime()

    def run() -> None:
        inputs = read_inputs(input, text_field)  # every line checked before any output
        classifier = _load(rt, model, lexicon)
        write = sys.stdout.write
        for line in classified_lines(classifier, inputs, explain, top):
            write(line + "\n")

    guarded(run)


# ------------------------------------------------------------------------------------------------- train


def _training_data(rt: Runtime, data: Path | None, from_store: bool, default: bool, text_field: str,
                   size: int, seed: int) -> tuple[LabelledTexts, str, LabelledTexts | None]:
    """The training texts, where they come from, and separate held-out texts when there can be some."""
    from gridvoice.classifier.data import read_labelled
    from gridvoice.classifier.service import store_history
    from gridvoice.classifier.training import default_held_out, default_training_data

    if sum((data is not None, from_store, default)) != 1:
        raise BadInput("data", "give exactly one of --data FILE, --from-store, --default")
    if data is not None:
        return read_labelled(data, text_field), f"file {data.resolve()}", None
    if from_store:
        rt.init_schema()
        url = rt.engine.url.render_as_string(hide_password=True)
        return store_history(rt), f"store {url} (given or corrected labels)", None
    _say(f"generating {size:,} synthetic appeal texts (seed {seed}) …")
    return (*default_training_data(size, seed), default_held_out(size, seed))


@model_app.command("train")
def train_cmd(
    data: Annotated[Path | None, typer.Option("--data", help="labelled CSV/XLSX/JSONL: text, business_type, "
                                              "topic [, urgent, channel]")] = None,
    from_store: Annotated[bool, typer.Option("--from-store", help="the operational store's appeals with given "
                                             "or corrected labels")] = False,
    default: Annotated[bool, typer.Option("--default", help="the default model: the seeded synthetic corpus")
                       ] = False,
    out_dir: Annotated[Path | None, typer.Option("--out", help="write the model here (not installed); default: "
                                                 "a new version under GRIDVOICE_HOME/models, installed")] = None,
    include_corrections: Annotated[bool, typer.Option("--include-corrections", help="add agents' label "
                                                      "corrections from the store")] = False,
    text_field: TextFieldOption = "text",
    size: Annotated[int, typer.Option(min=100, max=1_000_000, help="--default: corpus size")] = 50_000,
    seed: Annotated[int, typer.Option(help="--default: corpus seed")] = 20_240_601,
    c: Annotated[float, typer.Option("--c", min=1e-4, max=100.0, help="LinearSVC regularisation C")] = 0.5,
    words: Annotated[bool, typer.Option("--words", help="add jieba words to the character n-grams")] = False,
    jobs: Annotated[int, typer.Option(min=1, max=64, help="processes for the calibration folds")] = 2,
    format: FormatOption = OutputFormat.text,
) -> None:
    """Train a model on labelled history (file or store) or the synthetic corpus; save it with its metadata."""
    from gridvoice.classifier.model import TrainConfig
    from gridvoice.classifier.service import corrections
    from gridvoice.classifier.training import fit, save_trained

    rt = runtime()

    def run() -> dict[str, Any]:
        training, source, held_out = _training_data(rt, data, from_store, default, text_field, size, seed)
        if include_corrections and not from_store:  # the store's appeals already carry their corrections
            rt.init_schema()
            extra = corrections(rt)
            _say(f"adding {len(extra):,} label corrections from the store")
            training, source = training + extra, f"{source} + {len(extra)} corrections"
        trained = fit(training, source, TrainConfig(c=c, words=words, n_jobs=jobs), progress=_say, held_out=held_out)
        saved = save_trained(trained, rt.settings.home, out_dir)
        return {**saved.metadata, "path": str(saved.path), "installed": out_dir is None}

    result = guarded(run)
    if format == OutputFormat.json:
        emit_json(result)
        return
    out.print(f"model {result['version']} saved in {result['path']}"
              f"{' and installed' if result['installed'] else ''}")
    metrics = result.get("metrics")
    if metrics:
        out.print(f"held-out: business type macro-F1 {metrics['business_type']['macro_f1']:.3f}, topic macro-F1 "
                  f"{metrics['topic']['macro_f1']:.3f}, urgent F1 {metrics['urgent']['f1']:.3f}")


# ---------------------------------------------------------------------------------------------- evaluate


@model_app.command("evaluate")
def evaluate_cmd(
    data: Annotated[Path, typer.Option("--data", help="labelled JSONL (also CSV/XLSX)")],
    model: ModelOption = None,
    text_field: TextFieldOption = "text",
    figure: Annotated[Path | None, typer.Option("--figure", help="confusion matrices as FILE.png or FILE.html")
                      ] = None,
    lexicon: LexiconOption = None,
    format: FormatOption = OutputFormat.text,
) -> None:
    """Per-class precision/recall/F1, macro-F1 and confusion matrices of a model on labelled texts."""
    from gridvoice.classifier import registry
    from gridvoice.classifier.data import read_labelled
    from gridvoice.classifier.evaluation import FIGURE_TYPES, evaluate, write_figure

    rt = runtime()

    def run() -> dict[str, Any]:
        if figure is not None and figure.suffix.lower() not in FIGURE_TYPES:
            raise BadInput("figure", f"unsupported figure type '{figure.suffix}'; use .png or .html")
        labelled = read_labelled(data, text_field)
        classifier = _load(rt, model, lexicon)
        report = evaluate(classifier, labelled)
        directory = registry.model_dir(model) if model else registry.current(rt.settings.home)
        meta = registry.metadata(directory) if directory else {}
        report["model"] = {"version": meta.get("version"), "path": str(directory), "data_source":
                           meta.get("data_source"), "lexicon_version": classifier.lexicon.version}
        if figure is not None:
            write_figure(report, figure)
            _say(f"figure written to {figure}")
        return report

    report = guarded(run)
    if format == OutputFormat.json:
        emit_json(report)
        return
    _print_report(report)


def _print_report(report: dict[str, Any]) -> None:
    for head in ("business_type", "topic"):
        part = report[head]
        table = Table(title=f"{head}: macro-F1 {part['macro_f1']:.3f}, accuracy {part['accuracy']:.3f}")
        for column in ("class", "precision", "recall", "F1", "support"):
            table.add_column(column, justify="left" if column == "class" else "right")
        for label, s in part["per_class"].items():
            table.add_row(label, f"{s['precision']:.2f}", f"{s['recall']:.2f}", f"{s['f1']:.2f}", str(s["support"]))
        out.print(table)
        pairs = ", ".join(f"{p['true']}→{p['predicted']} ×{p['count']}" for p in part["confused_pairs"][:6])
        out.print(f"most confused: {pairs or 'none'}")
    urgent = report["urgent"]
    if urgent.get("f1") is not None:
        out.print(f"urgent: F1 {urgent['f1']:.3f} (precision {urgent['precision']:.3f}, recall "
                  f"{urgent['recall']:.3f}, {urgent['support']} urgent of {report['n']}); model alone F1 "
                  f"{urgent['model_only_f1']:.3f}")


# ------------------------------------------------------------------------------------------ list and use


@model_app.command("list")
def list_cmd(format: FormatOption = OutputFormat.text) -> None:
    """Models under GRIDVOICE_HOME/models, oldest first; the installed one is marked."""
    from gridvoice.classifier import registry

    rt = runtime()
    models = guarded(lambda: registry.listing(rt.settings.home))
    rows = [{"version": m.metadata.get("version", m.path.name), "path": str(m.path), "current": m.current,
             "created_at": m.metadata.get("created_at"), "training_size": m.metadata.get("training_size"),
             "data_source": m.metadata.get("data_source")} for m in models]
    if format == OutputFormat.json:
        emit_json(rows)
        return
    if not rows:
        out.print("no models yet: `gridvoice model train --default` builds the default one")
    for row in rows:
        out.print(f"{'*' if row['current'] else ' '} {row['version']}\t{row['training_size']}\t{row['data_source']}")


@model_app.command("use")
def use_cmd(model: Annotated[Path, typer.Argument(help="a version under GRIDVOICE_HOME/models, or a model "
                                                  "folder")]) -> None:
    """Install a model: intake, `classify` and `evaluate` use it from now on."""
    from gridvoice.classifier import registry

    rt = runtime()

    def run() -> Path:
        candidate = registry.models_dir(rt.settings.home) / model
        directory = candidate if not model.is_absolute() and candidate.is_dir() else model
        if not directory.exists():
            raise BadInput("model", f"{model}: no such version or folder")
        registry.install(rt.settings.home, directory)
        return directory

    directory = guarded(run)
    err.print(f"installed {directory}")

