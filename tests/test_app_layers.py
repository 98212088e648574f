"""The apps build on each other in one direction: ``positions`` uses ``parties``, never the reverse."""

import ast
from pathlib import Path

from django.conf import settings

PARTIES = Path(settings.BASE_DIR) / "parties"


def imported_modules(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.add(node.module)
    return modules


def test_the_parties_app_imports_nothing_from_positions():
    files = sorted(PARTIES.rglob("*.py"))
    assert PARTIES / "admin.py" in files, "the scan must see the app's modules"
    upward = {
        f"{path.relative_to(PARTIES.parent)}: {module}"
        for path in files
        for module in imported_modules(path)
        if module == "positions" or module.startswith("positions.")
    }
    assert not upward, f"parties depends on positions: {sorted(upward)}"


def test_the_scan_sees_an_upward_import(tmp_path):
    module = tmp_path / "example.py"
    module.write_text("from positions.admin import X\nimport positions.models\nfrom .models import Y\n")
    assert imported_modules(module) == {"positions.admin", "positions.models"}


def test_both_admins_keep_history_through_the_shared_base_class():
    from django.contrib import admin

    from parties.models import Organisation
    from positions.models import Stance
    from ruspolitikk.history import BaselineHistoryAdmin

    assert isinstance(admin.site._registry[Organisation], BaselineHistoryAdmin)
    assert isinstance(admin.site._registry[Stance], BaselineHistoryAdmin)
