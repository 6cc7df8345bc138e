"""`gridvoice analyze …` commands."""

import typer

app = typer.Typer(help="Appeal analysis: hotspots, repeats, sensitive customers, regional risk, factors.",
                  no_args_is_help=True)
