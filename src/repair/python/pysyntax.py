"""Edits for a Python file that does not compile, read from the compiler's own message and position.

Every edit only inserts or deletes punctuation or indentation, so the file's names stay as they
were; an edit is kept only when the whole file then compiles.
"""
import ast
import re
from collections import Counter

import pyanalysis

DECLARED_LATE = re.compile(r"name '(\w+)' is (?:used|assigned to) prior to (global|nonlocal) declaration")
NEVER_CLOSED = re.compile(r"'([(\[{])' was never closed")
MISMATCH = re.compile(r"closing parenthesis '([)\]}])' does not match opening parenthesis '([(\[{])'")
UNMATCHED = re.compile(r"unmatched '([)\]}])'")
CLOSER = {"(": ")", "[": "]", "{": "}"}
NAMES = {"(": "parenthesis", "[": "bracket", "{": "brace"}
COMPOUND = re.compile(r"^\s*(async\s+)?(def|class|if|elif|else|for|while|try|except|finally|with|match|case)\b")
IDENT = re.compile(r"[A-Za-z_]\w*")
MAX_FIXES = 3


def code_end(line):
    """Index where a line's code ends: before a comment and trailing blanks (strings on one line respected)."""
    quote = None
    i = 0
    while i < len(line):
        ch = line[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch == "#":
            break
        i += 1
    return len(line[:i].rstrip())


def indent_of(line):
    return line[: len(line) - len(line.lstrip(" \t"))]


def eol(source):
    return "\r\n" if "\r\n" in source else "\n"


def global_move(source, name, line, keyword):
    """Moves the `global`/`nonlocal` statement at `line` to the top of its function."""
    tree = ast.parse(source)
    kind = ast.Global if keyword == "global" else ast.Nonlocal
    for fn, _ in pyanalysis.scopes(tree):
        if isinstance(fn, ast.ClassDef) or not (fn.lineno <= line <= fn.end_lineno):
            continue
        decl = next((n for n in ast.walk(fn) if isinstance(n, kind) and n.lineno == line and name in n.names), None)
        if decl is None:
            continue
        lines = source.splitlines(True)
        text = lines[line - 1]
        if text[code_end(text):].strip() and not text[code_end(text):].strip().startswith("#"):
            return None
        if text[: decl.col_offset].strip() or text[decl.end_col_offset: code_end(text)].strip():
            return None  # shares its line with other code: not a move we make blind
        body = fn.body
        first = body[1] if len(body) > 1 and is_docstring(body[0]) else body[0]
        if first is decl:
            return None
        indent = indent_of(lines[first.lineno - 1])
        moved = indent + "%s %s" % (keyword, ", ".join(decl.names)) + eol(source)
        out = lines[: line - 1] + lines[line:]
        at = first.lineno - 1
        out.insert(at, moved)
        return {"after": "".join(out), "function": fn.name}
    return None


def is_docstring(stmt):
    return isinstance(stmt, ast.Expr) and isinstance(getattr(stmt, "value", None), ast.Constant) and isinstance(stmt.value.value, str)


def edits_for(source, err):
    """(guided, label, after) edits suggested by the error, most specific first."""
    lines = source.splitlines(True)
    n = len(lines)
    line = max(1, min(err["line"] or 1, n)) if n else 1
    col = max(0, (err["col"] or 1) - 1)
    msg = err["msg"] or ""
    out = []

    def insert(at_line, at_col, token, guided, label):
        if 1 <= at_line <= n:
            text = lines[at_line - 1]
            new = text[:at_col] + token + text[at_col:]
            out.append((guided, label, at_line, "".join(lines[: at_line - 1] + [new] + lines[at_line:])))

    def reindent(at_line, indent, guided, label, through=None):
        last = through or at_line
        new = list(lines)
        for i in range(at_line, last + 1):
            if new[i - 1].strip():
                new[i - 1] = indent + new[i - 1].lstrip(" \t")
        out.append((guided, label, at_line, "".join(new)))

    m = NEVER_CLOSED.search(msg)
    if m:
        closer = CLOSER[m.group(1)]
        for at in range(line, min(n, line + 12) + 1):
            text = lines[at - 1]
            end = code_end(text)
            insert(at, end, closer, True, ("close", m.group(1)))
            stripped = text[:end]
            if stripped.endswith((":", ",")):
                insert(at, end - 1, closer, True, ("close", m.group(1)))
    m = MISMATCH.search(msg) or UNMATCHED.search(msg)
    if m:
        text = lines[line - 1]
        if 0 <= col < len(text) and text[col] in ")]}":
            out.append((True, ("delete", text[col]), line, "".join(lines[: line - 1] + [text[:col] + text[col + 1:]] + lines[line:])))
            if MISMATCH.search(msg):
                insert(line, col, CLOSER[m.group(2)], True, ("close", m.group(2)))
    if "forgot a comma" in msg:
        end_line = err.get("endLine") or line
        text = lines[line - 1]
        stop = (err.get("endCol") or len(text)) - 1 if end_line == line else len(text)
        for i in range(col + 1, min(stop, len(text))):
            if text[i] in " \t" and text[i - 1] not in " \t,":
                insert(line, i, ",", True, ("insert", ","))
    if "expected ':'" in msg or COMPOUND.match(lines[line - 1] if n else ""):
        for at in range(max(1, line - 2), line + 1):
            text = lines[at - 1]
            end = code_end(text)
            if end and not text[:end].endswith(":"):
                insert(at, end, ":", "expected ':'" in msg or bool(COMPOUND.match(text)), ("insert", ":"))
    if err["type"] in ("IndentationError", "TabError"):
        levels = []
        for prior in reversed(lines[: line - 1]):
            if prior.strip() and not prior.lstrip().startswith("#"):
                level = indent_of(prior)
                if level not in levels:
                    levels.append(level)
        current = indent_of(lines[line - 1])
        if "expected an indented block" in msg:
            header = levels[0] if levels else ""
            unit = "\t" if header.startswith("\t") else "    "
            reindent(line, header + unit, True, ("indent",))
            last = line
            while last < n and (not lines[last].strip() or indent_of(lines[last]) == current):
                last += 1
            if last > line:
                reindent(line, header + unit, True, ("indent",), through=last)
        else:
            for level in levels:
                if level != current:
                    reindent(line, level, True, ("dedent",) if len(level) < len(current) else ("indent",))
    # Without a specific message: one token in or out around the error. "invalid syntax" at a
    # token that follows another after a blank is often a missing comma (an assignment's tuple).
    if n and 0 < col <= len(lines[line - 1]) and lines[line - 1][col - 1] in " \t":
        gap = col - 1
        while gap > 0 and lines[line - 1][gap - 1] in " \t":
            gap -= 1
        if gap > 0:
            insert(line, gap, ",", False, ("insert", ","))
    for at in (line, line - 1):
        if 1 <= at <= n:
            end = code_end(lines[at - 1])
            for token in (":", ",", ")", "]", "}"):
                insert(at, end, token, False, ("insert", token))
    if n and 0 <= col < len(lines[line - 1]) and lines[line - 1][col] in ",:;)]}([{.":
        text = lines[line - 1]
        out.append((False, ("delete", text[col]), line, "".join(lines[: line - 1] + [text[:col] + text[col + 1:]] + lines[line:])))
    return out


def repairs(source, path):
    err = pyanalysis.check(source, path)
    if err is None:
        return []
    m = DECLARED_LATE.search(err["msg"] or "")
    if m:
        moved = global_move(source, m.group(1), err["line"], m.group(2))
        if moved and pyanalysis.check(moved["after"], path) is None:
            where = moved["function"] + "()"
            return [{
                "after": moved["after"],
                "rule": "%s declared after use" % m.group(2),
                "title": "Move `%s %s` to the top of %s in %s" % (m.group(2), m.group(1), where, path),
                "subject": "move the %s declaration of %s to the top of %s" % (m.group(2), m.group(1), where),
                "rootCause": "%s:%d declares `%s %s` after %s has already used the name, which Python rejects at compile time"
                % (path, err["line"], m.group(2), m.group(1), where),
                "error": err,
            }]
        return []
    names = Counter(IDENT.findall(source))
    kept, seen = [], set()
    for order, (guided, label, at, after) in enumerate(edits_for(source, err)):
        if after in seen or after == source:
            continue
        seen.add(after)
        if Counter(IDENT.findall(after)) != names or pyanalysis.check(after, path) is not None:
            continue
        # The smallest change first: an indent moved to the nearest level, not to the outermost.
        kept.append((not guided, abs(at - err["line"]), abs(len(after) - len(source)), order, label, at, after))
    kept.sort(key=lambda k: k[:4])
    return [describe(path, err, label, at, after, source) for _, _, _, _, label, at, after in kept[:MAX_FIXES]]


def describe(path, err, label, at, after, source):
    try:
        where = pyanalysis.enclosing(ast.parse(after), at)
    except SyntaxError:
        where = None
    suffix = " in %s%s" % (where["qualname"], "()" if where["kind"] == "function" else "") if where else ""
    action = label[0]
    if action == "close":
        subject = "close the unclosed %s" % NAMES[label[1]]
        cause = "opens a %s that is never closed" % NAMES[label[1]]
    elif action == "delete":
        subject = "remove the stray '%s'" % label[1]
        cause = "holds a stray '%s'" % label[1]
    elif action in ("indent", "dedent"):
        subject = "fix the indentation" if action == "dedent" else "indent the block"
        cause = "is indented where its block does not allow it" if action == "dedent" else "is not indented under its block"
    elif label[1] == ":":
        subject, cause = "add the missing colon", "is missing the ':' that opens its block"
    elif label[1] == ",":
        subject, cause = "add the missing comma", "is missing a ',' between two items"
    else:
        subject, cause = "add the missing '%s'" % label[1], "is missing a '%s'" % label[1]
    if len(subject + suffix) <= 72:
        subject += suffix
    return {
        "after": after,
        "rule": "syntax",
        "title": "%s at %s:%d" % (subject[0].upper() + subject[1:], path, at),
        "subject": subject,
        "rootCause": "%s:%d %s (%s: %s)" % (path, at, cause, err["type"], err["msg"]),
        "error": err,
    }
