"""`gridvoice classify` and `gridvoice model …` commands."""

import typer

model_app = typer.Typer(help="The appeal classifier: train and evaluate.", no_args_is_help=True)


def classify() -> None:
    """Label appeal texts (JSON Lines in, JSON Lines out)."""
    raise typer.Exit(1)
