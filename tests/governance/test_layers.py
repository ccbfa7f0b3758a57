"""Networks builds on governance (a club's steering committee is a governance body), never the
other way round: no module of relais.governance imports relais.networks."""

import ast
from pathlib import Path

import relais.governance


def _imports(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.module


def test_governance_does_not_import_networks():
    root = Path(relais.governance.__file__).parent
    offenders = [
        f"{path.relative_to(root)}: {name}"
        for path in sorted(root.rglob("*.py"))
        if "migrations" not in path.parts
        for name in _imports(path)
        if name == "relais.networks" or name.startswith("relais.networks.")
    ]
    assert offenders == []
