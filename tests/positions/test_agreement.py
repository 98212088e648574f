"""Cohen's kappa between two blind codings: hand-computed examples, the command, and /metode/."""

import io
import shutil
from fractions import Fraction
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from positions.agreement import compute, kappa

DATA = Path(settings.BASE_DIR) / "fixtures"


def test_kappa_of_a_hand_computed_example():
    # 10 cells; both say "for" in 4, "against" in 4; they disagree on 2 (for/against, against/for).
    pairs = [("for", "for")] * 4 + [("against", "against")] * 4 + [("for", "against"), ("against", "for")]
    agreed, value = kappa(pairs)
    # p_o = 8/10; p_e = (5/10)(5/10) + (5/10)(5/10) = 1/2; kappa = (0.8 - 0.5) / 0.5 = 0.6
    assert agreed == 8
    assert value == Fraction(3, 5)


def test_kappa_with_four_values_and_unequal_margins():
    pairs = [("for", "for"), ("for", "partly"), ("partly", "partly"), ("none", "none"), ("against", "none")]
    agreed, value = kappa(pairs)
    # p_o = 3/5. first: for 2, partly 1, none 1, against 1; second: for 1, partly 2, none 2.
    # p_e = (2*1 + 1*2 + 1*2 + 1*0) / 25 = 6/25; kappa = (15/25 - 6/25) / (19/25) = 9/19
    assert agreed == 3
    assert value == Fraction(9, 19)


def test_perfect_agreement_is_one():
    assert kappa([("for", "for"), ("none", "none")]) == (2, Fraction(1))


def test_kappa_is_not_defined_when_expected_agreement_is_one():
    # Both coders said "none" everywhere: p_e = 1, so (p_o - p_e) / (1 - p_e) would divide by zero.
    assert kappa([("none", "none")] * 12) == (12, None)


def write_codings(directory: Path, first: dict, second: dict, reconciliation: dict | None = None) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for name, cells in (("first.toml", first), ("second.toml", second)):
        text = "".join(
            f'[[cell]]\norganisation = "{o}"\ntopic = "{t}"\nvalue = "{v}"\n\n' for (o, t), v in cells.items()
        )
        (directory / name).write_text(text, encoding="utf-8")
    if reconciliation is not None:
        text = "".join(
            f'[[cell]]\norganisation = "{o}"\ntopic = "{t}"\nfirst = "{first[(o, t)]}"\n'
            f'second = "{second[(o, t)]}"\nfinal = "{first[(o, t)]}"\nreason = "{reason}"\n\n'
            for (o, t), reason in reconciliation.items()
        )
        (directory / "reconciliation.toml").write_text(text, encoding="utf-8")


FIRST = {
    ("r", "lar"): "for",
    ("h", "lar"): "for",
    ("sv", "lar"): "against",
    ("frp", "lar"): "against",
    ("r", "har"): "none",
    ("h", "har"): "none",
}
SECOND = FIRST | {("sv", "lar"): "for"}


@pytest.fixture
def coding_dir(tmp_path, settings) -> Path:
    """A data folder for /metode/ and the command: the real topics.toml, test codings."""
    shutil.copy(DATA / "topics.toml", tmp_path / "topics.toml")
    settings.CODEBOOK_DIR = tmp_path
    return tmp_path / "coding"


def test_figures_per_topic_and_overall(coding_dir):
    write_codings(coding_dir, FIRST, SECOND, {("sv", "lar"): "SV vil ha LAR, men strengere"})
    report = compute()
    rows = {row.label: row for row in report.topics}
    assert (rows["lar"].cells, rows["lar"].agreed) == (4, 3)
    # lar: p_o = 3/4; first 2 for 2 against, second 3 for 1 against: p_e = (6 + 2)/16 = 1/2 -> 1/2
    assert rows["lar"].kappa == Fraction(1, 2)
    assert rows["har"].kappa is None and rows["har"].raw == 1
    assert (report.overall.cells, report.overall.agreed) == (6, 5)
    assert (report.disagreements, report.reconciled, report.unreconciled) == (1, 1, [])


def test_codings_of_different_cells_are_refused(coding_dir):
    write_codings(coding_dir, FIRST, {("r", "lar"): "for"})
    with pytest.raises(CommandError, match="do not cover the same cells"):
        call_command("agreement")


def test_the_command_prints_the_table(coding_dir):
    write_codings(coding_dir, FIRST, SECOND, {})
    out, err = io.StringIO(), io.StringIO()
    call_command("agreement", stdout=out, stderr=err)
    lines = out.getvalue().splitlines()
    assert lines[0].split() == ["topic", "cells", "agreed", "raw", "%", "kappa"]
    assert any(line.split() == ["lar", "4", "3", "75.0", "0.50"] for line in lines)
    assert any(line.split() == ["har", "2", "2", "100.0", "not", "defined"] for line in lines)
    assert any(line.split()[:4] == ["overall", "6", "5", "83.3"] for line in lines)
    assert "1 disagreement(s), 0 reconciled in writing." in out.getvalue()
    assert "Not reconciled: sv × lar" in err.getvalue()


def test_the_command_says_when_there_are_no_codings(coding_dir):
    with pytest.raises(CommandError, match="No codings yet"):
        call_command("agreement")
