"""What fixloop asks about Python code: parse errors, scopes, names, where a name is defined."""
import ast
import builtins
import importlib
import os
import sys

SKIP_DIRS = {"node_modules", "site-packages", "__pycache__", "build", "dist", "venv", "env"}
MAX_FILES = 4000
# Standard-library modules whose public names a missing import most often wants, in the order
# they are preferred when two define the same name (typing before collections.abc).
STDLIB_PROVIDERS = [
    "os", "sys", "re", "json", "typing", "collections", "functools", "itertools", "dataclasses",
    "pathlib", "datetime", "enum", "contextlib", "abc", "math", "time", "subprocess", "shutil",
    "tempfile", "io", "logging", "warnings", "copy", "operator", "textwrap", "string", "inspect",
    "types", "weakref", "threading", "asyncio", "uuid", "hashlib", "base64", "random", "decimal",
    "fractions", "numbers", "statistics", "struct", "glob", "fnmatch", "argparse", "html", "csv",
    "heapq", "bisect", "queue", "os.path", "urllib.parse", "collections.abc", "codecs", "locale",
    "pprint", "traceback", "unicodedata", "zlib", "gzip", "pickle", "socket", "signal", "errno",
]


def read(root, path):
    with open(os.path.join(root, path), "rb") as handle:
        return handle.read().decode("utf-8")


def error_of(exc):
    return {
        "type": type(exc).__name__,
        "msg": exc.msg,
        "line": exc.lineno,
        "col": exc.offset,
        "endLine": getattr(exc, "end_lineno", None),
        "endCol": getattr(exc, "end_offset", None),
        "text": exc.text,
    }


def check(source, filename="<fixloop>"):
    """None when the source compiles (symbol-table checks included), else the error."""
    try:
        compile(source, filename, "exec", dont_inherit=True)
    except SyntaxError as exc:
        return error_of(exc)
    except ValueError as exc:  # null bytes
        return {"type": "ValueError", "msg": str(exc), "line": 1, "col": 1, "endLine": None, "endCol": None, "text": None}
    return None


def check_file(root, path):
    return {"error": check(read(root, path), path)}


def scopes(tree):
    """(node, parents) for every function and class, outermost first."""
    found = []

    def walk(node, parents):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                found.append((child, parents))
                walk(child, parents + [child])
            else:
                walk(child, parents)

    walk(tree, [])
    return found


def enclosing(tree, line):
    """The innermost function or class whose lines hold `line`, with its dotted name."""
    best = None
    for node, parents in scopes(tree):
        if node.lineno <= line <= node.end_lineno and (best is None or node.lineno >= best[0].lineno):
            best = (node, parents)
    if best is None:
        return None
    node, parents = best
    return {
        "kind": "class" if isinstance(node, ast.ClassDef) else "function",
        "name": node.name,
        "qualname": ".".join([p.name for p in parents] + [node.name]),
        "line": node.lineno,
        "endLine": node.end_lineno,
        "async": isinstance(node, ast.AsyncFunctionDef),
    }


def enclosing_file(root, path, line):
    return enclosing(ast.parse(read(root, path)), line)


def top_level_bindings(tree):
    """Names bound at module level (into if/try/with blocks, not into functions or classes)."""
    names = {}

    def bind_target(target, line):
        # Only stored names: `Token.Number = Number` and `table[key] = v` read Token and table.
        for node in ast.walk(target):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.setdefault(node.id, line)

    def visit(statements):
        for stmt in statements:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.setdefault(stmt.name, stmt.lineno)
            elif isinstance(stmt, ast.Assign):
                for target in stmt.targets:
                    bind_target(target, stmt.lineno)
            elif isinstance(stmt, (ast.AnnAssign, ast.AugAssign)):
                bind_target(stmt.target, stmt.lineno)
            elif isinstance(stmt, (ast.Import, ast.ImportFrom)):
                for alias in stmt.names:
                    if alias.name != "*":
                        names.setdefault(alias.asname or alias.name.split(".")[0], stmt.lineno)
            elif isinstance(stmt, (ast.For, ast.AsyncFor)):
                bind_target(stmt.target, stmt.lineno)
            for field in ("body", "orelse", "finalbody", "handlers"):
                block = getattr(stmt, field, None)
                if isinstance(block, list) and not isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    visit(block)

    visit(tree.body)
    return names


def import_statements(tree):
    """Module-level imports: line span, module, names, and the group they belong to."""
    found = []
    for stmt in tree.body:
        if isinstance(stmt, ast.Import):
            module = stmt.names[0].name
            found.append({"line": stmt.lineno, "endLine": stmt.end_lineno, "kind": "import", "module": module, "level": 0,
                          "names": [[a.name, a.asname] for a in stmt.names]})
        elif isinstance(stmt, ast.ImportFrom):
            found.append({"line": stmt.lineno, "endLine": stmt.end_lineno, "kind": "from", "module": stmt.module or "",
                          "level": stmt.level, "names": [[a.name, a.asname] for a in stmt.names]})
    return found


def module_names(source):
    tree = ast.parse(source)
    return {"defined": top_level_bindings(tree), "imports": import_statements(tree)}


def module_names_file(root, path):
    return module_names(read(root, path))


def stdlib_modules():
    names = getattr(sys, "stdlib_module_names", None)
    if names is None:  # before 3.10: the providers list and the built-in modules
        names = set(m.split(".")[0] for m in STDLIB_PROVIDERS) | set(sys.builtin_module_names)
    return names


def is_stdlib(module):
    return module.split(".")[0] in stdlib_modules()


def project_files(root):
    """Repository-relative .py files, hidden folders and virtual environments left out."""
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIP_DIRS
                         and not os.path.exists(os.path.join(folder, d, "pyvenv.cfg")))
        for name in sorted(files):
            if name.endswith(".py"):
                found.append(os.path.relpath(os.path.join(folder, name), root).replace(os.sep, "/"))
                if len(found) >= MAX_FILES:
                    return found
    return found


def module_of(path):
    """The dotted module a file is imported as, with `src/` layouts taken into account."""
    parts = path[:-3].split("/")
    if parts[-1] == "__init__":
        parts = parts[:-1]
    if len(parts) > 1 and parts[0] in ("src", "lib"):
        parts = parts[1:]
    return ".".join(parts)


_trees = {}


def parsed(root, path):
    full = os.path.join(root, path)
    try:
        stamp = os.stat(full).st_mtime_ns
    except OSError:
        return None
    cached = _trees.get(full)
    if cached and cached[0] == stamp:
        return cached[1]
    try:
        tree = ast.parse(read(root, path))
    except (SyntaxError, ValueError, UnicodeDecodeError):
        tree = None
    _trees[full] = (stamp, tree)
    return tree


def definitions(root, name):
    """Where `name` is defined or imported across the project, and what the stdlib offers."""
    defined, imported, modules = [], [], []
    for path in project_files(root):
        module = module_of(path)
        if module.split(".")[-1] == name:
            modules.append({"module": module, "path": path})
        tree = parsed(root, path)
        if tree is None:
            continue
        bindings = top_level_bindings(tree)
        own = {n for n in bindings} - {a[1] or a[0].split(".")[0] for s in import_statements(tree) for a in s["names"]}
        if name in own:
            defined.append({"module": module, "path": path, "line": bindings[name]})
        for stmt in import_statements(tree):
            for alias, asname in stmt["names"]:
                bound = asname or (alias if stmt["kind"] == "from" else alias.split(".")[0])
                if bound == name and stmt["level"] == 0:
                    imported.append({"module": stmt["module"], "kind": stmt["kind"], "alias": alias, "asname": asname, "path": path})
    return {
        "defined": defined,
        "imported": imported,
        "modules": modules,
        "stdlibModule": name in stdlib_modules(),
        "stdlibAttribute": stdlib_attribute(name),
        "builtin": hasattr(builtins, name),
    }


def stdlib_attribute(name):
    if name.startswith("_"):
        return []
    found = []
    for module in STDLIB_PROVIDERS:
        try:
            loaded = importlib.import_module(module)
        except Exception:
            continue
        public = getattr(loaded, "__all__", None)
        if (public is not None and name in public) or (public is None and hasattr(loaded, name) and not isinstance(getattr(loaded, name), type(sys))):
            found.append(module)
    return found
