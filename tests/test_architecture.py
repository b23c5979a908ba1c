"""The import direction of docs/architecture.md, checked on the source.

cli -> show -> trial / ipd -> check -> printed -> estimate: a layer imports only layers to its
right. The only imports of ``survkit.show`` from lower layers are the lazy ones inside
``plot`` methods, which must not run at import time.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "survkit"

_ABOVE_CHECK = ("survkit.trial", "survkit.ipd", "survkit.show", "survkit.cli")
FORBIDDEN = {
    "estimate": ("survkit.printed", "survkit.check", *_ABOVE_CHECK),
    "printed": ("survkit.check", *_ABOVE_CHECK),
    "check": _ABOVE_CHECK,
    "trial": ("survkit.show", "survkit.cli"),
    "ipd": ("survkit.show", "survkit.cli"),
    "show": ("survkit.cli",),
}


def _imports(path: Path) -> list[tuple[str, bool]]:
    """(module, inside_a_function) for every executed import in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: list[tuple[str, bool]] = []

    def visit(node: ast.AST, in_func: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if (
                isinstance(child, ast.If)
                and isinstance(child.test, ast.Name)
                and child.test.id == "TYPE_CHECKING"
            ):
                continue  # annotations only, never executed
            f = in_func or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef))
            if isinstance(child, ast.Import):
                out.extend((a.name, f) for a in child.names)
            elif isinstance(child, ast.ImportFrom) and child.module:
                out.append((child.module, f))
            visit(child, f)

    visit(tree, False)
    return out


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_import_direction(layer: str) -> None:
    bad = []
    if not (SRC / layer).is_dir():
        pytest.skip(f"no layer {layer} yet")
    for path in sorted((SRC / layer).rglob("*.py")):
        for mod, in_func in _imports(path):
            for forbidden in FORBIDDEN[layer]:
                if mod == forbidden or mod.startswith(forbidden + "."):
                    lazy_plot = in_func and forbidden == "survkit.show"
                    if not lazy_plot:
                        bad.append(f"{path.relative_to(SRC)} imports {mod}")
    assert not bad, "\n".join(bad)


def test_importing_survkit_does_not_load_the_plotting_layer() -> None:
    """``import survkit`` loads estimate, check, trial and ipd, but neither ``survkit.show``
    nor matplotlib: plotting is imported lazily by the ``plot()`` methods."""
    code = (
        "import sys, survkit; "
        "print(sorted(m for m in sys.modules if m.startswith(('survkit.show', 'matplotlib'))))"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert res.stdout.strip() == "[]"


def test_ci_transforms_have_one_home() -> None:
    """No module but estimate/ci.py spells out a transform formula (a log(-log) or asin(sqrt))."""
    offenders = []
    for path in SRC.rglob("*.py"):
        if path.name == "ci.py" and path.parent.name == "estimate":
            continue
        text = path.read_text(encoding="utf-8")
        for needle in ("np.log(-np.log(", "np.arcsin(np.sqrt("):
            if needle in text:
                offenders.append(f"{path.relative_to(SRC)}: {needle}")
    assert not offenders, offenders


def test_importing_survkit_does_not_load_scipy_stats() -> None:
    """scipy.stats costs about 0.3 s to import; the model families look their laws up on
    first use, so ``import survkit`` stays light."""
    code = "import sys, survkit; print('scipy.stats' in sys.modules)"
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert res.stdout.strip() == "False"
