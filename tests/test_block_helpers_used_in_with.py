"""The test helpers that act only inside a ``with`` block are used in one.

A helper such as ``answer_next_box`` watches for a question box while its block runs. Called
as a plain statement it makes a context manager that is never entered: it answers nothing
and checks nothing, and the test goes on as if the box had been answered (a real blocking
box would hold the test for ever). Python says nothing of it, so this check does.
"""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).parent


def _block_helpers(tree: ast.Module) -> set[str]:
    """The functions ``tree`` defines as ``@contextmanager``."""
    return {
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef)
        and any(
            (isinstance(d, ast.Name) and d.id == "contextmanager")
            or (isinstance(d, ast.Attribute) and d.attr == "contextmanager")
            for d in node.decorator_list
        )
    }


def _called_name(call: ast.Call) -> str | None:
    function = call.func
    if isinstance(function, ast.Name):
        return function.id
    if isinstance(function, ast.Attribute):
        return function.attr
    return None


def _outside_with(tree: ast.Module, helpers: set[str]) -> list[tuple[int, str]]:
    """Where ``tree`` calls one of ``helpers`` other than as a ``with`` item, or as what
    a helper of its own kind returns or yields (one block helper built on another)."""
    in_with = {
        id(item.context_expr)
        for node in ast.walk(tree)
        if isinstance(node, (ast.With, ast.AsyncWith))
        for item in node.items
    }
    passed_on = {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Return, ast.Yield, ast.YieldFrom)) and node.value is not None
    }
    return [
        (node.lineno, name)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and (name := _called_name(node)) in helpers
        and id(node) not in in_with | passed_on
    ]


def test_every_block_helper_is_used_in_a_with_block() -> None:
    trees = {path: ast.parse(path.read_text(encoding="utf-8")) for path in TESTS.glob("*.py")}
    helpers = set().union(*(_block_helpers(tree) for tree in trees.values()))
    assert "answer_next_box" in helpers  # the check finds what it is for
    misused = [
        f"{path.name}:{line}: {name}(…) outside a with block"
        for path, tree in sorted(trees.items())
        for line, name in _outside_with(tree, helpers)
    ]
    assert not misused, "\n".join(misused)


def test_the_check_finds_a_block_helper_called_as_a_statement() -> None:
    tree = ast.parse(
        "from contextlib import contextmanager\n"
        "@contextmanager\n"
        "def answer_next_box(qtbot, name, button):\n"
        "    yield []\n"
        "def test_export(qtbot):\n"
        "    with answer_next_box(qtbot, 'replace', 'Replace'):\n"
        "        pass\n"
        "    answer_next_box(qtbot, 'replace', 'Replace')\n"
    )
    assert _outside_with(tree, _block_helpers(tree)) == [(8, "answer_next_box")]
