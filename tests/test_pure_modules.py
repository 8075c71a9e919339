"""The pure figure modules load without Django: computing a figure needs no
settings, no database and no request."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

LOADED_DJANGO = """
import sys
import assessments.disclosure, reports.figures, coach.patterns
print(",".join(sorted(m for m in sys.modules if m.split(".")[0] == "django")))
"""


def test_it_imports_the_figure_modules_without_loading_django() -> None:
    result = subprocess.run(  # noqa: S603 (this interpreter, fixed arguments)
        [sys.executable, "-c", LOADED_DJANGO],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert result.stdout.strip() == ""
