"""Import statements added or corrected where the file keeps its own: same group, same style."""
import ast
import difflib
import os
import re

import pyanalysis
import pysyntax

GROUPS = {"future": 0, "stdlib": 1, "third": 2, "local": 3}


def project_packages(root):
    tops = set()
    for path in pyanalysis.project_files(root):
        tops.add(pyanalysis.module_of(path).split(".")[0])
    return tops


def group_of(module, level, locals_):
    if level:
        return "local"
    top = module.split(".")[0]
    if top == "__future__":
        return "future"
    if pyanalysis.is_stdlib(module):
        return "stdlib"
    return "local" if top in locals_ else "third"


def statement(kind, module, name, asname=None):
    alias = name + (" as %s" % asname if asname else "")
    return "import %s" % alias if kind == "import" else "from %s import %s" % (module, alias)


def add_import(source, tree, kind, module, name, locals_, asname=None, level=0):
    """The source with the import added: merged into `from module import …` when one exists, else placed in its group."""
    lines = source.splitlines(True)
    newline = pysyntax.eol(source)
    imports = pyanalysis.import_statements(tree)
    if kind == "from":
        for stmt in imports:
            if stmt["kind"] == "from" and stmt["module"] == module and stmt["level"] == level and all(n[0] != "*" for n in stmt["names"]):
                node = next(n for n in tree.body if isinstance(n, ast.ImportFrom) and n.lineno == stmt["line"])
                return merge_from(lines, node, name + (" as %s" % asname if asname else ""), newline)
    mod_text = "." * level + module
    text = statement(kind, mod_text, name, asname) + newline
    group = GROUPS[group_of(module, level, locals_)]
    key = (group, kind != "import", mod_text.lstrip(".").lower())
    placed = [(GROUPS[group_of(s["module"], s["level"], locals_)], s["kind"] != "import", s["module"].lower(), s) for s in imports]
    same = [p for p in placed if p[0] == group]
    if same:
        later = [p for p in same if p[:3] > key]
        ordered = all(a[:3] <= b[:3] for a, b in zip(same, same[1:]))
        if later and ordered:
            at = later[0][3]["line"] - 1
        else:
            at = same[-1][3]["endLine"]
        lines.insert(at, text)
        return "".join(lines)
    before = [p for p in placed if p[0] < group]
    after = [p for p in placed if p[0] > group]
    if before:
        at = before[-1][3]["endLine"]
        lines[at:at] = [newline, text]
    elif after:
        at = after[0][3]["line"] - 1
        lines[at:at] = [text, newline]
    else:
        at = 0
        if tree.body and pysyntax.is_docstring(tree.body[0]):
            at = tree.body[0].end_lineno
        lines[at:at] = [text] + ([newline] if at < len(lines) and lines[at].strip() else [])
    return "".join(lines)


def merge_from(lines, node, alias, newline):
    first, last = node.lineno - 1, node.end_lineno - 1
    end = lines[last]
    code = end[: pysyntax.code_end(end)]
    if code.endswith(")"):
        if first != last and code.strip() == ")":
            indent = pysyntax.indent_of(lines[last - 1])
            prev = lines[last - 1]
            prev_code = prev[: pysyntax.code_end(prev)]
            if not prev_code.endswith(","):
                lines[last - 1] = prev_code + "," + prev[len(prev_code):]
            lines.insert(last, indent + alias + "," + newline)
            return "".join(lines)
        close = code.rindex(")")
        body = code[:close].rstrip()
        sep = " " if body.endswith(",") else ", "
        lines[last] = body + sep + alias + code[close:] + end[len(code):]
        return "".join(lines)
    lines[last] = code + ", " + alias + end[len(code):]
    return "".join(lines)


def relative_form(path, module, tree):
    """(module, level) as the file writes imports of its own package: relative when it already does."""
    if not any(isinstance(n, ast.ImportFrom) and n.level for n in tree.body):
        return module, 0
    own = pyanalysis.module_of(path).split(".")
    package = own if path.endswith("__init__.py") else own[:-1]
    target = module.split(".")
    if not package or target[0] != package[0]:
        return module, 0
    common = 0
    while common < min(len(package), len(target)) and package[common] == target[common]:
        common += 1
    return ".".join(target[common:]), len(package) - common + 1


def import_fixes(root, path, source, tree, name):
    info = pyanalysis.definitions(root, name)
    own_module = pyanalysis.module_of(path)
    locals_ = project_packages(root)
    options = []
    for imp in info["imported"]:
        if imp["path"] != path:
            options.append((imp["kind"], imp["module"], imp["alias"], imp["asname"], "is imported that way in %s" % imp["path"]))
    for mod in info["modules"]:
        if mod["module"] != own_module:
            parent, _, leaf = mod["module"].rpartition(".")
            options.append(("from", parent, leaf, None, "is the module %s" % mod["path"]) if parent else ("import", leaf, leaf, None, "is the module %s" % mod["path"]))
    defined = sorted(info["defined"], key=lambda d: ("test" in d["path"].split("/")[0] or d["path"].split("/")[-1].startswith("test_"), len(d["module"])))
    for d in defined:
        if d["module"] != own_module:
            options.append(("from", d["module"], name, None, "is defined in %s:%d" % (d["path"], d["line"])))
    if info["stdlibModule"]:
        options.append(("import", name, name, None, "is a standard-library module"))
    for module in info["stdlibAttribute"][:2]:
        options.append(("from", module, name, None, "is defined by the standard-library module %s" % module))
    fixes, seen = [], set()
    for kind, module, alias, asname, why in options:
        if (kind, module, alias, asname) in seen or not module:
            continue
        seen.add((kind, module, alias, asname))
        written, level = (module, 0) if kind == "import" else relative_form(path, module, tree)
        after = add_import(source, tree, kind, written, alias, locals_, asname, level)
        shown = statement(kind, "." * level + written, alias, asname)
        fixes.append({
            "after": after,
            "rule": "missing import",
            "title": "Add `%s` to %s" % (shown, path),
            # The subject names the module, however the statement spells it.
            "subject": "import %s from %s" % (name, module) if kind == "from" else "import %s" % module,
            "rootCause": "%s uses `%s` without importing it; `%s` %s" % (path, name, name, why),
        })
        if len(fixes) >= 3:
            break
    return fixes


def cannot_import_fixes(root, path, source, tree, name, module):
    node = next((n for n in tree.body if isinstance(n, ast.ImportFrom) and any(a.name == name for a in n.names)), None)
    if node is None:
        return []
    fixes = []
    info = pyanalysis.definitions(root, name)
    locals_ = project_packages(root)
    lines = source.splitlines(True)
    for d in info["defined"]:
        if d["module"] in (module, pyanalysis.module_of(path)):
            continue
        written, level = relative_form(path, d["module"], tree)
        if len(node.names) == 1 and node.lineno == node.end_lineno:
            alias = node.names[0]
            text = lines[node.lineno - 1]
            new = text[: node.col_offset] + "from %s import %s" % ("." * level + written, name + (" as %s" % alias.asname if alias.asname else "")) + text[node.end_col_offset:]
            after = "".join(lines[: node.lineno - 1] + [new] + lines[node.lineno:])
        else:
            continue
        fixes.append({
            "after": after,
            "rule": "import from the defining module",
            "title": "Import %s from %s in %s" % (name, d["module"], path),
            "subject": "import %s from %s" % (name, d["module"]),
            "rootCause": "%s imports `%s` from %s, which does not define it; %s:%d does" % (path, name, module, d["path"], d["line"]),
        })
    target = module_path(root, path, node, module)
    if target:
        have = pyanalysis.top_level_bindings(ast.parse(pyanalysis.read(root, target)))
        for new in difflib.get_close_matches(name, sorted(have), n=2, cutoff=0.75):
            uses = [n for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id == name]
            alias = next(a for a in node.names if a.name == name)
            text = lines[node.lineno - 1:node.end_lineno]
            joined = "".join(text)
            replaced = re.sub(r"\b%s\b" % name, new, joined, count=1)
            head = "".join(lines[: node.lineno - 1]) + replaced + "".join(lines[node.end_lineno:])
            after = head
            if not alias.asname and uses:
                after = pyrename(head, name, new)
            fixes.append({
                "after": after,
                "rule": "misspelled import",
                "title": "Import %s, the name %s defines, in %s" % (new, module, path),
                "subject": "import %s from %s instead of the missing %s" % (new, module, name),
                "rootCause": "%s imports `%s` from %s, which defines `%s` instead" % (path, name, module, new),
            })
    return fixes


def pyrename(source, old, new):
    tree = ast.parse(source)
    lines = source.splitlines(True)
    for node in sorted((n for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id == old), key=lambda n: (n.lineno, n.col_offset), reverse=True):
        text = lines[node.lineno - 1]
        lines[node.lineno - 1] = text[: node.col_offset] + new + text[node.end_col_offset:]
    return "".join(lines)


def module_path(root, path, node, module):
    if node.level:
        base = os.path.dirname(path).split("/") if os.path.dirname(path) else []
        base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
        parts = base + ([p for p in (node.module or "").split(".") if p])
    else:
        parts = module.split(".")
    for prefix in ([], ["src"], ["lib"]):
        for candidate in ("/".join(prefix + parts) + ".py", "/".join(prefix + parts + ["__init__.py"])):
            if os.path.isfile(os.path.join(root, candidate)):
                return candidate
    return None
