"""Fault sites for the Python bench: every place a kind of fault can go in the given files, in a
fixed order, as JSON lines {kind, file, line, description, faulty}. Only faults that change how
the file compiles or runs, never its names elsewhere. Usage: python3 python-faults.py ROOT FILE..."""
import ast
import json
import re
import sys

COMPOUND = re.compile(r"^\s*(def|class|if|elif|for|while|with)\b.*:\s*$")


def compiles(text):
    try:
        compile(text, "<bench>", "exec", dont_inherit=True)
        return True
    except SyntaxError:
        return False


def sites(path, text):
    lines = text.splitlines(True)
    tree = ast.parse(text)
    out = []

    def emit(kind, line, description, new_lines):
        faulty = "".join(new_lines)
        if faulty != text:
            out.append({"kind": kind, "file": path, "line": line, "description": description, "faulty": faulty})

    def replaced(i, new):
        return lines[:i] + [new] + lines[i + 1:]

    for i, line in enumerate(lines):
        if COMPOUND.match(line) and "#" not in line:
            stripped = line.rstrip()
            new = stripped[:-1] + line[len(stripped):]
            if not compiles("".join(replaced(i, new))):
                emit("missing-colon", i + 1, "line %d: delete the ':' of the block header" % (i + 1), replaced(i, new))
        code = line.rstrip()
        if code.endswith(")") and "#" not in line and code.count("(") == code.count(")") and code.count("(") >= 1:
            new = code[:-1] + line[len(code):]
            if not compiles("".join(replaced(i, new))):
                emit("unclosed-bracket", i + 1, "line %d: delete the last ')'" % (i + 1), replaced(i, new))
    for node in ast.walk(tree):
        for field in ("body", "orelse"):
            block = getattr(node, field, None)
            if not isinstance(block, list) or len(block) < 2:
                continue
            second = block[1]
            if isinstance(second, (ast.Assign, ast.Expr, ast.Return)) and second.lineno == second.end_lineno and second.lineno - 1 < len(lines):
                i = second.lineno - 1
                new = "    " + lines[i]
                if not compiles("".join(replaced(i, new))):
                    emit("stray-indent", i + 1, "line %d: indent one statement by 4 more spaces" % (i + 1), replaced(i, new))
        if isinstance(node, (ast.List, ast.Tuple, ast.Call)) and node.lineno == node.end_lineno:
            i = node.lineno - 1
            segment = lines[i][node.col_offset:node.end_col_offset]
            at = segment.find(", ")
            if at > 0 and segment.count(", ") == 1 and "'" not in segment and '"' not in segment:
                new = lines[i][: node.col_offset + at] + lines[i][node.col_offset + at + 1:]
                if not compiles("".join(replaced(i, new))):
                    emit("missing-comma", i + 1, "line %d: delete the ',' in %s" % (i + 1, segment.strip()), replaced(i, new))
    module_names = set()
    for stmt in tree.body:
        if isinstance(stmt, (ast.Import, ast.ImportFrom)) and len(stmt.names) == 1 and stmt.lineno == stmt.end_lineno:
            alias = stmt.names[0]
            bound = alias.asname or alias.name.split(".")[0]
            if alias.name == "*" or bound.startswith("__"):
                continue
            module_names.add(bound)
            uses = [n for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id == bound]
            if uses and not (isinstance(stmt, ast.ImportFrom) and stmt.module == "__future__"):
                i = stmt.lineno - 1
                emit("missing-import", i + 1, "line %d: delete `%s`" % (i + 1, lines[i].strip()), lines[:i] + lines[i + 1:])
            if isinstance(stmt, ast.ImportFrom) and stmt.level and len(alias.name) > 4 and not alias.asname:
                i = stmt.lineno - 1
                wrong = alias.name[:-2] + alias.name[-1] + alias.name[-2]
                new = re.sub(r"\b%s\b" % alias.name, wrong, lines[i], count=1)
                emit("cannot-import", i + 1, "line %d: import %s instead of %s" % (i + 1, wrong, alias.name), replaced(i, new))
        elif isinstance(stmt, (ast.FunctionDef, ast.ClassDef)):
            module_names.add(stmt.name)
    for fn in [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]:
        for node in ast.walk(fn):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id in module_names and len(node.id) > 4:
                i = node.lineno - 1
                name = node.id
                wrong = name[:-2] + name[-1] + name[-2] if name[-1] != name[-2] else name[:-1]
                new = lines[i][: node.col_offset] + wrong + lines[i][node.end_col_offset:]
                emit("misspelled-name", i + 1, "line %d: %s misspelled %s" % (i + 1, name, wrong), replaced(i, new))
            if isinstance(node, ast.Compare) and len(node.ops) == 1 and type(node.ops[0]) in (ast.Eq, ast.NotEq, ast.Lt, ast.Gt):
                i = node.lineno - 1
                segment = lines[i][node.left.end_col_offset: node.comparators[0].col_offset] if node.lineno == node.comparators[0].lineno else ""
                flip = {"==": "!=", "!=": "==", "<": "<=", ">": ">="}
                op = segment.strip()
                if op in flip:
                    start = node.left.end_col_offset + segment.index(op)
                    new = lines[i][:start] + flip[op] + lines[i][start + len(op):]
                    emit("logic", i + 1, "line %d: %s becomes %s" % (i + 1, op, flip[op]), replaced(i, new))
    return out


def main():
    root = sys.argv[1]
    for path in sys.argv[2:]:
        with open("%s/%s" % (root, path), encoding="utf-8") as handle:
            text = handle.read()
        for site in sites(path, text):
            print(json.dumps(site))


if __name__ == "__main__":
    main()
