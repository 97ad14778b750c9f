"""fixloop's Python analysis helper: JSON lines in on stdin, JSON lines out on stdout.

Run with the project's own interpreter, so parse errors, the standard library and the
"Did you mean" hints are the ones its tests see. Standard library only; Python 3.8 and later.
Each request is {"id": n, "op": name, ...arguments}; each answer {"id": n, "ok": true, "result": …}
or {"id": n, "ok": false, "error": "…"}. The process lives for the whole run.
"""
import json
import os
import sys

if sys.version_info < (3, 8):  # end positions in the ast arrived in 3.8
    sys.stderr.write("fixloop's Python repairs need Python 3.8 or later; %s is %s\n" % (sys.executable, sys.version.split()[0]))
    sys.exit(3)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import pyanalysis  # noqa: E402
import pyrepair  # noqa: E402

OPS = {
    "version": lambda req: {"version": list(sys.version_info[:3]), "executable": sys.executable},
    "check": lambda req: pyanalysis.check_file(req["root"], req["path"]),
    "enclosing": lambda req: pyanalysis.enclosing_file(req["root"], req["path"], req["line"]),
    "names": lambda req: pyanalysis.module_names_file(req["root"], req["path"]),
    "definitions": lambda req: pyanalysis.definitions(req["root"], req["name"]),
    "syntax_fixes": lambda req: pyrepair.syntax_fixes(req["root"], req["path"]),
    "rule_fixes": lambda req: pyrepair.rule_fixes(req["root"], req["path"], req.get("line"), req["text"]),
}


def main():
    for raw in sys.stdin:
        raw = raw.strip()
        if not raw:
            continue
        ident = None
        try:
            req = json.loads(raw)
            ident = req.get("id")
            answer = {"id": ident, "ok": True, "result": OPS[req["op"]](req)}
        except Exception as exc:  # an answer for every question: the caller waits on it
            answer = {"id": ident, "ok": False, "error": "%s: %s" % (type(exc).__name__, exc)}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
