"""The test helpers that act only inside a ``with`` block are used in one.

A helper such as ``answer_next_box`` watches for a question box while its block runs. Called
as a plain statement it makes a context manager that is never entered: it answers nothing
and checks nothing, and the test goes on as if the box had been answered (a real blocking
box would hold the test for ever). Python says nothing of it, so this check does.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import TypeGuard

TESTS = Path(__file__).parent


def _is_block_helper(node: ast.AST) -> TypeGuard[ast.FunctionDef]:
    """Whether ``node`` defines a block helper: a ``@contextmanager`` function, or one said
    to return a context manager (one helper built on another)."""
    if not isinstance(node, ast.FunctionDef):
        return False
    decorators = [ast.unparse(decorator) for decorator in node.decorator_list]
    returns = ast.unparse(node.returns) if node.returns is not None else ""
    return (
        any(decorator.endswith("contextmanager") for decorator in decorators)
        or "ContextManager" in returns
    )


def _block_helpers(tree: ast.Module) -> set[str]:
    """The names of the block helpers ``tree`` defines."""
    return {node.name for node in ast.walk(tree) if _is_block_helper(node)}


def _called_name(call: ast.Call) -> str | None:
    function = call.func
    if isinstance(function, ast.Name):
        return function.id
    if isinstance(function, ast.Attribute):
        return function.attr
    return None


def _outside_with(tree: ast.Module, helpers: set[str]) -> list[tuple[int, str]]:
    """Where ``tree`` calls one of ``helpers`` other than as a ``with`` item, or as what a
    block helper returns or yields. A function not known as a block helper that returns
    the call is reported: called as a statement, it would enter nothing, unchecked."""
    in_with = {
        id(item.context_expr)
        for node in ast.walk(tree)
        if isinstance(node, (ast.With, ast.AsyncWith))
        for item in node.items
    }
    passed_on = {
        id(node.value)
        for helper in ast.walk(tree)
        if _is_block_helper(helper)
        for node in ast.walk(helper)
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
    trees = {path: ast.parse(path.read_text(encoding="utf-8")) for path in TESTS.rglob("*.py")}
    helpers = set().union(*(_block_helpers(tree) for tree in trees.values()))
    assert "answer_next_box" in helpers  # the check finds what it is for
    misused = [
        f"{path.relative_to(TESTS)}:{line}: {name}(…) outside a with block"
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


def test_the_check_finds_a_block_helper_passed_on_by_a_plain_function() -> None:
    tree = ast.parse(
        "from contextlib import AbstractContextManager, contextmanager\n"
        "@contextmanager\n"
        "def answer_next_box(qtbot, name, button):\n"
        "    yield []\n"
        "def replace_asked(qtbot) -> AbstractContextManager[list[str]]:\n"
        "    return answer_next_box(qtbot, 'replace', 'Replace')\n"
        "def replace_answered(qtbot):\n"
        "    return answer_next_box(qtbot, 'replace', 'Replace')\n"
        "def test_export(qtbot):\n"
        "    replace_answered(qtbot)\n"
        "    replace_asked(qtbot)\n"
    )
    # ``replace_answered`` is no block helper by its looks: its own call is unchecked, so
    # the return is reported. ``replace_asked`` is one: its call as a statement is.
    assert sorted(_outside_with(tree, _block_helpers(tree))) == [
        (8, "answer_next_box"),
        (11, "replace_asked"),
    ]
