"""Which code of a learner's notebook defines their exercises: the one reading of a notebook's cells, shared by the
grader (which runs these cells in its sandbox) and by `nnfromscratch.yours` (which runs them in a later lesson).

A notebook is plain JSON here (a dict as `json.load` gives it), read defensively: a field of the wrong type is
treated as absent. Each cell's code is parsed once, the first time anything is asked of it, into its `Facts` (the
names it defines, reads and imports); the syntax tree itself is not kept. Standard library only (and the runner's
`without_magics`, so that what is analysed is what runs).
"""

import ast
from dataclasses import dataclass

from .runner import without_magics


def _text(value):
    """A cell source (a string or a list of strings in nbformat) as one string; anything else is empty."""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "".join(value)
    return ""


@dataclass(frozen=True)
class Facts:
    """What is ever asked of a piece of code, read from one parse.

    parsed: False when the code is not Python (every other field is then empty).
    defined: the names it defines at its top level (def, class, assignment to a name).
    names: every bare name it mentions (`np` in `np.zeros`, `x` in `x = 1`).
    imports: its top-level import statements, as ((statement source, names it binds), ...).
    imported: every import anywhere in it, as ((module or None, name, asname or None), ...): `import a.b as c`
        is (None, "a.b", "c"), `from a import b` is ("a", "b", None).
    chains: every maximal chain of names it reads, in order, each once: ("nn", "hidden_unit_grad") for
        `nn.hidden_unit_grad(...)`, ("h",) for a bare name `h`.
    """

    parsed: bool = False
    defined: frozenset = frozenset()
    names: frozenset = frozenset()
    imports: tuple = ()
    imported: tuple = ()
    chains: tuple = ()


def facts(code):
    """The Facts of `code`, a source text, parsed once here (a Facts is returned as it is)."""
    if isinstance(code, Facts):
        return code
    try:
        tree = ast.parse(without_magics(code))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return Facts()
    defined, imports = set(), []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            defined.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            defined |= {t.id for t in targets if isinstance(t, ast.Name)}
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            imports.append((ast.unparse(node), frozenset((a.asname or a.name).split(".")[0] for a in node.names)))
    names, imported, chains = set(), [], {}
    inner = set()  # the ids of nodes that are the `.value` of an attribute: part of a longer chain
    for node in ast.walk(tree):  # breadth first: an attribute is seen before its value
        if isinstance(node, ast.Name):
            names.add(node.id)
            if id(node) not in inner:
                chains.setdefault((node.id,), None)
        elif isinstance(node, ast.Attribute):
            inner.add(id(node.value))
            if id(node) not in inner:
                chain, root = [], node
                while isinstance(root, ast.Attribute):
                    chain.append(root.attr)
                    root = root.value
                if isinstance(root, ast.Name):
                    chains.setdefault((root.id, *reversed(chain)), None)
        elif isinstance(node, ast.Import):
            imported += [(None, a.name, a.asname) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            imported += [(node.module or "", a.name, a.asname) for a in node.names]
    return Facts(True, frozenset(defined), frozenset(names), tuple(imports), tuple(imported), tuple(chains))


class Cell:
    """One code cell of a notebook: its source, its nbgrader metadata (a dict), and its Facts, read once, when
    first asked for."""

    __slots__ = ("source", "nbgrader", "_facts")

    def __init__(self, source, nbgrader):
        self.source, self.nbgrader, self._facts = source, nbgrader, None

    @property
    def facts(self):
        if self._facts is None:
            self._facts = facts(self.source)
        return self._facts


def code_cells(notebook):
    """[Cell] for every code cell of a notebook dict, in order (nothing is parsed yet)."""
    cells = []
    for cell in notebook.get("cells", []) if isinstance(notebook, dict) else []:
        if isinstance(cell, dict) and cell.get("cell_type") == "code":
            meta = cell.get("metadata") if isinstance(cell.get("metadata"), dict) else {}
            nbgrader = meta.get("nbgrader") if isinstance(meta.get("nbgrader"), dict) else {}
            cells.append(Cell(_text(cell.get("source")), nbgrader))
    return cells


def defines(cell, name):
    """True when the Cell defines `name` at its top level (def, class or assignment); for code that is not Python,
    when it holds `def name(` or `class name`."""
    if cell.facts.parsed:
        return name in cell.facts.defined
    return f"def {name}(" in cell.source or f"class {name}" in cell.source


def solution_cells(cells, names):
    """The cells to run, in notebook order: every cell nbgrader marks as a solution, and for a name none of them
    defines, the first cell that does. cells: from `code_cells`. Returns [{"name": ..., "source": ...}], each
    named by its grade_id when that is one of `names`, else "code cell N"."""
    chosen = [i for i, cell in enumerate(cells) if cell.nbgrader.get("solution") is True]
    for name in names:
        if not any(defines(cells[i], name) for i in chosen):
            found = next((i for i, cell in enumerate(cells) if defines(cell, name)), None)
            if found is not None:
                chosen.append(found)
    selected, wanted = [], set(names)
    for index in sorted(set(chosen)):
        grade_id = cells[index].nbgrader.get("grade_id")
        label = grade_id if isinstance(grade_id, str) and grade_id in wanted else f"code cell {index + 1}"
        selected.append({"name": label, "source": cells[index].source})
    return selected


def selected_facts(cells, selected):
    """The Facts of the selected cells ({"name", "source"} from `solution_cells(cells, ...)`), as read already."""
    by_source = {cell.source: cell for cell in cells}
    return [by_source[s].facts if s in by_source else facts(s) for s in (c["source"] for c in selected)]


def import_statements(cells, selected):
    """The notebook's top-level import statements that bind a name the selected cells use (so `import numpy as np`
    runs, and `import matplotlib.pyplot as plt` only if a solution uses plt), each as its own source."""
    used = set().union(*(f.names for f in selected_facts(cells, selected)))
    found = {}  # source -> None: in order, each once
    for cell in cells:
        for statement, bound in cell.facts.imports:
            if "*" in bound or bound & used:
                found.setdefault(statement, None)
    return list(found)


def name_chains(code):
    """Every maximal chain of names the code (a source text or its Facts) reads, as tuples: ("nn",
    "hidden_unit_grad") for `nn.hidden_unit_grad(...)`, ("h",) for a bare name `h`."""
    return list(facts(code).chains)


def package_aliases(code, package="nnfromscratch"):
    """{name: dotted path} for the names through which code (a source text or its Facts) reaches the package: `nn`
    and the package's own name (a lesson's setup cell imports it so), and whatever this code imports from it."""
    aliases = {"nn": package, package: package}
    for module, name, asname in facts(code).imported:
        if module is None:
            if name == package or name.startswith(package + "."):
                aliases[asname or name.split(".")[0]] = name if asname else package
        elif module.split(".")[0] == package:
            aliases[asname or name] = f"{module}.{name}"
    return aliases
