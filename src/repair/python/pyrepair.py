"""Edits for runtime errors in Python code that compiles: a name nobody imports or a misspelled
one, an import of a name its module does not have, a local read before it is bound, a coroutine
that is never awaited. Imports are offered before renames."""
import ast
import builtins
import difflib
import re

import pyanalysis
import pyimports
import pysyntax

NOT_DEFINED = re.compile(r"NameError: name '(\w+)' is not defined(?:\. Did you mean: '(\w+)'\?)?")
CANNOT_IMPORT = re.compile(r"cannot import name '(\w+)' from '([\w.]+)'")
UNBOUND = re.compile(r"cannot access (?:local|free) variable '(\w+)' where it is not associated with a value|local variable '(\w+)' referenced before assignment")
COROUTINE = re.compile(r"coroutine '(?:[\w.]+\.)?(\w+)' was never awaited|<coroutine object (?:[\w.]+\.)?(\w+) at")


def unique(pattern, text):
    """The groups of each match, each distinct tuple once, in the order first seen."""
    return list(dict.fromkeys(m.groups() for m in pattern.finditer(text)))


def syntax_fixes(root, path):
    return pysyntax.repairs(pyanalysis.read(root, path), path)


def rule_fixes(root, path, line, text):
    source = pyanalysis.read(root, path)
    if pyanalysis.check(source, path) is not None:
        return []  # nothing semantic in a file that does not compile
    tree = ast.parse(source)
    fixes = []
    # A problem's text holds every failing test's traceback: hundreds of the same error, asked once.
    for name, hint in unique(NOT_DEFINED, text):
        fixes += pyimports.import_fixes(root, path, source, tree, name)
        fixes += spelling_fixes(path, source, tree, name, line, hint)
    if not NOT_DEFINED.search(text):
        # The NameError was caught on its way (`except Exception: return False`) and the tests saw
        # only what the handler made of it: the names that would raise it are read from the code.
        for name, at in sorted(undefined_names(tree).items(), key=lambda item: item[1]):
            fixes += pyimports.import_fixes(root, path, source, tree, name)
            fixes += spelling_fixes(path, source, tree, name, at, None)
    for name, module in unique(CANNOT_IMPORT, text):
        fixes += pyimports.cannot_import_fixes(root, path, source, tree, name, module)
    for groups in unique(UNBOUND, text):
        if line:
            fixes += unbound_fixes(path, source, tree, groups[0] or groups[1], line)
    for groups in unique(COROUTINE, text):
        fixes += await_fixes(path, source, tree, groups[0] or groups[1], line)
    kept, seen = [], set()
    for fix in fixes:
        if fix["after"] not in seen and pyanalysis.check(fix["after"], path) is None:
            seen.add(fix["after"])
            kept.append(fix)
    return kept


MODULE_NAMES = {"__file__", "__name__", "__doc__", "__spec__", "__loader__", "__package__", "__builtins__", "__path__",
                "__annotations__", "__dict__", "__module__", "__qualname__", "__class__", "__debug__"}


def undefined_names(tree):
    """Names the module reads that nothing in it binds and no builtin provides, with the first line
    reading each: a NameError whenever that line runs. None when a star import, a module
    __getattr__ or globals() may provide any name."""
    bound = set(dir(builtins)) | MODULE_NAMES
    read = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("globals", "vars"):
            return {}
        if isinstance(node, ast.Name):
            if isinstance(node.ctx, ast.Load):
                read.setdefault(node.id, node.lineno)
            else:
                bound.add(node.id)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            if node.name == "__getattr__" and node in tree.body:
                return {}
            bound.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                if alias.name == "*":
                    return {}
                bound.add(alias.asname or alias.name.split(".")[0])
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            bound.update(node.names)
        elif isinstance(getattr(node, "name", None), str) and not isinstance(node, ast.alias):
            bound.add(node.name)  # except ... as name, match captures
        elif isinstance(getattr(node, "rest", None), str):
            bound.add(node.rest)  # match {**rest}
    return {name: line for name, line in read.items() if name not in bound}


def replace_names(source, nodes, new):
    lines = source.splitlines(True)
    for node in sorted(nodes, key=lambda n: (n.lineno, n.col_offset), reverse=True):
        text = lines[node.lineno - 1]
        lines[node.lineno - 1] = text[: node.col_offset] + new + text[node.end_col_offset:]
    return "".join(lines)


def names_in_scope(tree, line):
    names = set(pyanalysis.top_level_bindings(tree)) | set(dir(builtins))
    for fn, _ in pyanalysis.scopes(tree):
        if fn.lineno <= line <= fn.end_lineno and not isinstance(fn, ast.ClassDef):
            for node in ast.walk(fn):
                if isinstance(node, ast.arg):
                    names.add(node.arg)
                elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                    names.add(node.id)
    return names


def spelling_fixes(path, source, tree, name, line, hint):
    uses = [n for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Load)]
    on_line = [n for n in uses if line is None or n.lineno == line] or uses
    candidates = [hint] if hint else []
    candidates += difflib.get_close_matches(name, sorted(names_in_scope(tree, line or 1) - {name}), n=3, cutoff=0.75)
    fixes = []
    for new in dict.fromkeys(candidates):
        for nodes in ([on_line, uses] if len(uses) > len(on_line) else [on_line]):
            fixes.append({
                "after": replace_names(source, nodes, new),
                "rule": "misspelled name",
                "title": "Rename %s to %s in %s" % (name, new, path),
                "subject": "use %s instead of the undefined %s" % (new, name),
                "rootCause": "%s%s reads `%s`, which is not defined; `%s` is" % (path, ":%d" % line if line else "", name, new),
            })
    return fixes


def assigned_in(fn, name):
    for node in ast.walk(fn):
        if isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, (ast.Store, ast.Del)):
            return True
    return False


def unbound_fixes(path, source, tree, name, line):
    chain = [(fn, parents) for fn, parents in pyanalysis.scopes(tree)
             if not isinstance(fn, ast.ClassDef) and fn.lineno <= line <= fn.end_lineno]
    if not chain:
        return []
    fn, parents = chain[-1]
    outer = [p for p in parents if not isinstance(p, ast.ClassDef)]
    keyword = None
    if any(assigned_in(p, name) or name in [a.arg for a in p.args.args] for p in outer):
        keyword = "nonlocal"
    elif name in pyanalysis.top_level_bindings(tree):
        keyword = "global"
    fixes = []
    if keyword:
        lines = source.splitlines(True)
        body = fn.body
        first = body[1] if len(body) > 1 and pysyntax.is_docstring(body[0]) else body[0]
        lines.insert(first.lineno - 1, pysyntax.indent_of(lines[first.lineno - 1]) + "%s %s%s" % (keyword, name, pysyntax.eol(source)))
        fixes.append({
            "after": "".join(lines),
            "rule": "missing %s" % keyword,
            "title": "Declare `%s %s` in %s()" % (keyword, name, fn.name),
            "subject": "declare %s %s in %s()" % (keyword, name, fn.name),
            "rootCause": "%s() assigns %s, so Python treats it as a local and the read at %s:%d finds it unbound"
            % (fn.name, name, path, line),
        })
    moved = reorder(source, fn, name, line)
    if moved:
        fixes.append({
            "after": moved,
            "rule": "use before assignment",
            "title": "Assign %s before its first use in %s()" % (name, fn.name),
            "subject": "assign %s before its first use in %s()" % (name, fn.name),
            "rootCause": "%s:%d reads %s in %s() before the statement that assigns it" % (path, line, name, fn.name),
        })
    return fixes


def reorder(source, fn, name, line):
    """Moves a later `name = …` one-line statement above the statement reading it, when nothing between touches what it reads."""
    for block in [fn.body] + [getattr(n, f) for n in ast.walk(fn) for f in ("body", "orelse") if isinstance(getattr(n, f, None), list)]:
        use = next((i for i, s in enumerate(block) if s.lineno <= line <= s.end_lineno), None)
        if use is None:
            continue
        for j in range(use + 1, len(block)):
            stmt = block[j]
            if not (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name)
                    and stmt.targets[0].id == name and stmt.lineno == stmt.end_lineno):
                continue
            reads = {n.id for n in ast.walk(stmt.value) if isinstance(n, ast.Name)}
            between = block[use:j]
            if any(assigned_in(s, r) for s in between for r in reads | {name}):
                return None
            lines = source.splitlines(True)
            moved = lines[stmt.lineno - 1]
            indent = pysyntax.indent_of(lines[block[use].lineno - 1])
            del lines[stmt.lineno - 1]
            lines.insert(block[use].lineno - 1, indent + moved.lstrip(" \t"))
            return "".join(lines)
    return None


def await_fixes(path, source, tree, name, line):
    awaited = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Await)}
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and id(n) not in awaited
             and ((isinstance(n.func, ast.Name) and n.func.id == name) or (isinstance(n.func, ast.Attribute) and n.func.attr == name))]
    if line is not None:
        calls.sort(key=lambda c: abs(c.lineno - line))
    fixes = []
    for call in calls[:3]:
        fn = pyanalysis.enclosing(tree, call.lineno)
        if fn is None or fn["kind"] != "function":
            continue
        lines = source.splitlines(True)
        text = lines[call.lineno - 1]
        lines[call.lineno - 1] = text[: call.col_offset] + "await " + text[call.col_offset:]
        where = fn["qualname"] + "()"
        if not fn["async"]:
            head = lines[fn["line"] - 1]
            at = head.index("def ")
            lines[fn["line"] - 1] = head[:at] + "async " + head[at:]
        fixes.append({
            "after": "".join(lines),
            "rule": "missing await",
            "title": "Await %s() at %s:%d" % (name, path, call.lineno),
            "subject": "await %s() in %s" % (name, where) + ("" if fn["async"] else " and make it async"),
            "rootCause": "%s:%d calls the coroutine function %s() without `await`, so it gets a coroutine instead of its result"
            % (path, call.lineno, name),
            "async": fn["async"],
        })
    fixes.sort(key=lambda f: not f.pop("async"))
    return fixes
