"""The README tells operators what the app cannot do for them (issue 12, points 4
and 6): keep tokens out of access logs, bind app servers to a private interface
and trust proxies by address."""

from __future__ import annotations

import re
from pathlib import Path

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()


def test_it_tells_operators_to_keep_tokens_out_of_access_logs() -> None:
    assert "### Keep tokens out of access logs" in README
    section = README.split("### Keep tokens out of access logs", 1)[1]
    assert "/s/<token>/" in section
    assert "/join/<token>/" in section
    assert "--access-logfile" in section


def test_it_shows_app_servers_on_a_private_interface_behind_trusted_proxies() -> None:
    assert "**Bind the app servers to a private interface**" in README
    bind = re.search(r"gunicorn config\.wsgi --bind (\d+)\.(\d+)\.", README)
    assert bind is not None
    assert bind.group(1) == "10"  # a private address, never 0.0.0.0
    assert "--bind 0.0.0.0" not in README
    assert "TRUSTED_PROXIES=10." in README
    assert "TRUSTED_PROXY_COUNT=" not in README


def test_the_readme_lists_every_documentation_page() -> None:
    """A page under docs/ that the README does not name is a page no one finds;
    the contract's translations are named with the original."""
    docs = Path(__file__).resolve().parent.parent / "docs"
    listed = README.split("## Documentation", 1)[1]
    pages = sorted(p.name for p in docs.glob("*.md") if p.name.count(".") == 1)
    assert "languages.md" in pages
    assert [p for p in pages if f"`docs/{p}`" not in listed] == []
    assert listed.count("`docs/anonymity.md`") == 1
    for code in ("de", "fr", "es"):
        assert (docs / f"anonymity.{code}.md").exists()
        assert f".{code}.md" in listed
