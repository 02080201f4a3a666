"""Which code of a learner's notebook defines their exercises: the one reading of a notebook's cells, shared by the
grader (which runs these cells in its sandbox) and by `nnfromscratch.yours` (which runs them in a later lesson).

A notebook is plain JSON here (a dict as `json.load` gives it), read defensively: a field of the wrong type is
treated as absent. Standard library only.
"""

import ast
import functools


def _text(value):
    """A cell source (a string or a list of strings in nbformat) as one string; anything else is empty."""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "".join(value)
    return ""


def code_cells(notebook):
    """[(source, nbgrader metadata dict)] for every code cell of a notebook dict, in order."""
    cells = []
    for cell in notebook.get("cells", []) if isinstance(notebook, dict) else []:
        if isinstance(cell, dict) and cell.get("cell_type") == "code":
            meta = cell.get("metadata") if isinstance(cell.get("metadata"), dict) else {}
            nbgrader = meta.get("nbgrader") if isinstance(meta.get("nbgrader"), dict) else {}
            cells.append((_text(cell.get("source")), nbgrader))
    return cells


def without_magics(source):
    """IPython magics and shell escapes (%..., !...) are not Python: those lines become comments."""
    lines = []
    for line in source.splitlines():
        stripped = line.lstrip()
        lines.append(line[: len(line) - len(stripped)] + "# " + stripped if stripped.startswith(("%", "!")) else line)
    return "\n".join(lines)


@functools.lru_cache(maxsize=128)
def _parse(source):
    """The cell's syntax tree (parsed once however many questions are asked of it), or None."""
    try:
        return ast.parse(without_magics(source))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def defines(source, name):
    """True when the cell defines `name` at its top level (def, class or assignment)."""
    tree = _parse(source)
    if tree is None:
        return f"def {name}(" in source or f"class {name}" in source
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name == name:
            return True
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == name for t in targets):
                return True
    return False


def solution_cells(cells, names):
    """The cells to run, in notebook order: every cell nbgrader marks as a solution, and for a name none of them
    defines, the first cell that does. cells: from `code_cells`. Returns [{"name": ..., "source": ...}], each
    named by its grade_id when that is one of `names`, else "code cell N"."""
    chosen = [i for i, (_, meta) in enumerate(cells) if meta.get("solution") is True]
    for name in names:
        if not any(defines(cells[i][0], name) for i in chosen):
            found = next((i for i, (source, _) in enumerate(cells) if defines(source, name)), None)
            if found is not None:
                chosen.append(found)
    selected, wanted = [], set(names)
    for index in sorted(set(chosen)):
        source, meta = cells[index]
        grade_id = meta.get("grade_id")
        label = grade_id if isinstance(grade_id, str) and grade_id in wanted else f"code cell {index + 1}"
        selected.append({"name": label, "source": source})
    return selected


def import_statements(cells, selected):
    """The notebook's top-level import statements that bind a name the selected cells use (so `import numpy as np`
    runs, and `import matplotlib.pyplot as plt` only if a solution uses plt), each as its own source."""
    used = set()
    for cell in selected:
        tree = _parse(cell["source"])
        if tree is not None:
            used |= {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    found = {}  # source -> None: in order, each once
    for source, _ in cells:
        tree = _parse(source)
        for node in tree.body if tree is not None else []:
            if not isinstance(node, (ast.Import, ast.ImportFrom)):
                continue
            bound = {(a.asname or a.name).split(".")[0] for a in node.names}
            if "*" in bound or bound & used:
                found.setdefault(ast.unparse(node), None)
    return list(found)


def name_chains(source):
    """Every maximal chain of names the code reads, as tuples: ("nn", "hidden_unit_grad") for
    `nn.hidden_unit_grad(...)`, ("h",) for a bare name `h`."""
    tree = _parse(source)
    if tree is None:
        return []
    for parent in ast.walk(tree):
        for child in ast.iter_child_nodes(parent):
            child.parent = parent
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and not isinstance(getattr(node, "parent", None), ast.Attribute):
            chain, root = [], node
            while isinstance(root, ast.Attribute):
                chain.append(root.attr)
                root = root.value
            if isinstance(root, ast.Name):
                found.append((root.id, *reversed(chain)))
        elif isinstance(node, ast.Name) and not isinstance(getattr(node, "parent", None), ast.Attribute):
            found.append((node.id,))
    return list(dict.fromkeys(found))


def package_aliases(source, package="nnfromscratch"):
    """{name: dotted path} for the names through which code reaches the package: `nn` and the package's own name
    (a lesson's setup cell imports it so), and whatever this code imports from it."""
    tree = _parse(source)
    aliases = {"nn": package, package: package}
    for node in ast.walk(tree) if tree is not None else []:
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name == package or a.name.startswith(package + "."):
                    aliases[a.asname or a.name.split(".")[0]] = a.name if a.asname else package
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == package:
            for a in node.names:
                aliases[a.asname or a.name] = f"{node.module}.{a.name}"
    return aliases
