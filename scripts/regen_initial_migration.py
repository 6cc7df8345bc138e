"""Developer tool: regenerate the initial migration from the models (only before the first release).

After a release, add new revisions with `alembic revision --autogenerate` instead of rewriting 0001.
"""

import re
import tempfile
from pathlib import Path

from alembic import command

from gridvoice.store.db import make_engine
from gridvoice.store.migrate import MIGRATIONS, alembic_config

target = MIGRATIONS / "versions" / "0001_initial_schema.py"
target.unlink(missing_ok=True)
with tempfile.TemporaryDirectory() as tmp:
    engine = make_engine(f"sqlite:///{tmp}/gen.db")
    command.revision(alembic_config(engine), message="initial schema", autogenerate=True, rev_id="0001")
text = target.read_text()
text = text.replace("gridvoice.store.base.UtcDateTime(timezone=True)", "sa.DateTime(timezone=True)")
text = text.replace("astext_type=Text()", "astext_type=sa.Text()")
text = re.sub(r"Create Date: .*\n", "", text).replace("Revises: \n", "Revises:\n")
target.write_text(text)
print(f"wrote {Path(target).name}")
