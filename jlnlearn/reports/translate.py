"""The notebooks in another language, from one PO catalogue of their words.

A notebook's words are its Markdown paragraphs (blocks between blank lines)
and the prose string literals of its code cells: the objectives, quiz
questions, choices and feedback, takeaways and prompts. Each is one entry of
``jlnlearn/locale/notebooks.pot``; a translator fills ``msgstr`` in
``<lang>/LC_MESSAGES/notebooks.po`` with any PO editor and never touches a
notebook or Python. At build time :func:`translated_notebook` swaps each
paragraph and literal for its translation; an entry without one stays
English (and :func:`jlnlearn.reports.catalogues.missing` names it).

A literal is prose when it has a space and a letter. Literals that the
package reads as keys (a stream, a kind of fact, a category of the data) are
not prose, whatever they contain: the package translates them where it shows
them. Solutions and the parameters cell keep their code as it is.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat

from jlnlearn.data import schema
from jlnlearn.i18n import DEFAULT_LANGUAGE, language, translations
from jlnlearn.lesson import STREAMS
from jlnlearn.lessons.pairing import TOPICS
from jlnlearn.present.readings import DOCUMENTED
from jlnlearn.reports.files import write_atomically

#: Cells whose code is shown as written, never translated.
CODE_KEPT = {"solution", "parameters"}
PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
PROSE = re.compile(r"[A-Za-z].* |.* .*[A-Za-z]", re.DOTALL)


def package_keys() -> set[str]:
    """Strings the package reads as keys: left as they are in a notebook's code."""
    keys = set(DOCUMENTED) | set(STREAMS) | set(TOPICS)
    for table in schema.table_names():
        for field in schema.fields(table):
            keys.update(str(value) for value in field.get("constraints", {}).get("enum", []))
    return keys


def source_of(cell: dict[str, Any]) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def paragraphs(markdown: str) -> list[str]:
    """A Markdown cell's blocks between blank lines, each stripped.

    >>> paragraphs("# Title\\n\\nOne line.\\nTwo lines.\\n\\n\\n- a\\n- b\\n")
    ['# Title', 'One line.\\nTwo lines.', '- a\\n- b']
    """
    return [block.strip() for block in PARAGRAPH_BREAK.split(markdown) if block.strip()]


def prose_literals(code: str, keys: set[str]) -> list[tuple[ast.Constant, str]]:
    """The prose string literals of ``code`` (not in f-strings, not keys), in order, with their text.

    >>> [text for _, text in prose_literals('f(x="a b", y="key", z=f"{x} c d", w="one")', set())]
    ['a b']
    """
    try:
        tree = ast.parse(code)
    except SyntaxError:  # a magic or a shell line: nothing to translate
        return []
    in_fstrings = {id(part) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr)
                   for part in ast.walk(node)}
    found = [(node, node.value) for node in ast.walk(tree)
             if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in in_fstrings
             and node.value not in keys and PROSE.match(node.value)]
    return sorted(found, key=lambda pair: (pair[0].lineno, pair[0].col_offset))


def cell_messages(cell: dict[str, Any], keys: set[str]) -> list[str]:
    """The words of one cell a translator sees, in order."""
    tags = set(cell.get("metadata", {}).get("tags", []))
    if cell["cell_type"] == "markdown":
        return paragraphs(source_of(cell))
    if cell["cell_type"] == "code" and not tags & CODE_KEPT:
        return [text for _, text in prose_literals(source_of(cell), keys)]
    return []


def notebook_messages(notebook: dict[str, Any], keys: set[str] | None = None) -> Iterator[tuple[str, int]]:
    """Every message of ``notebook`` with its cell's number (from 1)."""
    keys = package_keys() if keys is None else keys
    for number, cell in enumerate(notebook["cells"], start=1):
        for message in cell_messages(cell, keys):
            yield message, number


def quoted(text: str, quote: str) -> str:
    """``text`` as a Python literal between ``quote`` characters.

    >>> print(quoted('say "yes"\\n', '"'))
    "say \\"yes\\"\\n"
    """
    body = text.replace("\\", "\\\\").replace(quote, "\\" + quote).replace("\n", "\\n")
    return f"{quote}{body}{quote}"


def translated_code(code: str, translate: Any, keys: set[str]) -> str:
    """``code`` with each prose literal replaced by its translation (positions are UTF-8 offsets)."""
    lines = code.encode("utf-8").splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    whole = b"".join(lines)
    for node, text in reversed(prose_literals(code, keys)):
        new = translate(text)
        if new == text:
            continue
        begin = starts[node.lineno - 1] + node.col_offset
        end = starts[node.end_lineno - 1] + node.end_col_offset
        old = whole[begin:end].decode("utf-8")
        quote = "'" if old.lstrip("rbuRBU")[:1] == "'" else '"'
        whole = whole[:begin] + quoted(new, quote).encode("utf-8") + whole[end:]
    return whole.decode("utf-8")


def translated_markdown(markdown: str, translate: Any) -> str:
    return "\n\n".join(translate(block) for block in paragraphs(markdown)) + "\n"


def language_cell(code: str) -> dict[str, Any]:
    """The code cell that makes a kernel write in language ``code`` (:func:`jlnlearn.use_language`)."""
    source = f'import jlnlearn\n\njlnlearn.use_language("{code}")'
    return {"cell_type": "code", "id": f"language-{code}", "metadata": {"tags": ["language"]},
            "execution_count": None, "outputs": [], "source": source}


def translated_notebook(notebook: dict[str, Any], code: str) -> dict[str, Any]:
    """A copy of ``notebook`` in language ``code``, its metadata saying which, and after its parameters
    (before its first code cell, where it has none) the cell that makes the kernel write in that
    language: the forms and charts a learner runs in JupyterLab then speak the notebook's language.

    >>> cell = {"cell_type": "markdown", "metadata": {}, "source": "## Your country"}
    >>> french = translated_notebook({"cells": [cell], "metadata": {}}, "fr")["cells"]
    >>> french[0]["source"], french[1]["source"].splitlines()[-1]
    ('## Votre pays\\n', 'jlnlearn.use_language("fr")')
    """
    translate = translations(code, "notebooks").gettext
    keys = package_keys()
    cells = []
    for cell in notebook["cells"]:
        tags = set(cell.get("metadata", {}).get("tags", []))
        cell = dict(cell)
        if cell["cell_type"] == "markdown":
            cell["source"] = translated_markdown(source_of(cell), translate)
        elif cell["cell_type"] == "code" and not tags & CODE_KEPT:
            cell["source"] = translated_code(source_of(cell), translate, keys)
        cells.append(cell)
    tagged = [place for place, cell in enumerate(cells) if "parameters" in cell.get("metadata", {}).get("tags", [])]
    code_cells = [place for place, cell in enumerate(cells) if cell["cell_type"] == "code"]
    cells.insert(tagged[0] + 1 if tagged else code_cells[0] if code_cells else len(cells), language_cell(code))
    metadata = {**notebook.get("metadata", {}), "language_code": code}
    return {**notebook, "cells": cells, "metadata": metadata}


def write_translated(folder: Path, code: str, into: Path) -> Path:
    """Every notebook of ``folder`` in language ``code``, written into ``into`` (only those that
    changed are rewritten); ``folder`` itself for English."""
    if code == DEFAULT_LANGUAGE:
        return folder

    into.mkdir(parents=True, exist_ok=True)
    for path in sorted(folder.glob("*.ipynb")):
        notebook = nbformat.reads(path.read_text(encoding="utf-8"), as_version=4)
        text = nbformat.writes(nbformat.from_dict(translated_notebook(notebook, code))) + "\n"
        target = into / path.name
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            write_atomically(target, text)
    return into


def read_notebook(path: Path) -> Any:
    """The notebook at ``path`` as nbformat reads it, in the reader's language."""
    notebook = nbformat.read(path, as_version=4)
    if language() == DEFAULT_LANGUAGE:
        return notebook
    return nbformat.from_dict(translated_notebook(notebook, language()))
