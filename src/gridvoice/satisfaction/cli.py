"""`gridvoice satisfaction …` commands."""

import typer

app = typer.Typer(help="Customer satisfaction: CSI model (PLS-SEM), AHP, entropy weights.", no_args_is_help=True)
