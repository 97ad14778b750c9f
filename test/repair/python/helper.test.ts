// helper.py asked through PythonHelper with this machine's python3 (3.11; the helper supports
// 3.8 and later: it relies on end positions in the ast, from 3.8).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { PythonHelper, PythonUnavailableError } from '../../../src/repair/python/client.js';

const dirs: string[] = [];
const helpers: PythonHelper[] = [];

function project(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fixloop-python-'));
  dirs.push(dir);
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

function helper(python = 'python3'): PythonHelper {
  const h = new PythonHelper(python);
  helpers.push(h);
  return h;
}

interface Fix {
  after: string;
  rule: string;
  subject: string;
}

afterEach(() => {
  for (const h of helpers.splice(0)) h.stop();
});
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe('helper.py', () => {
  it('runs on the Python 3.11 of this machine, one process for many questions', async () => {
    const h = helper();
    const dir = project({ 'a.py': 'def f(:\n    pass\n' });
    const version = await h.request<{ version: number[] }>('version');
    expect(version.version.slice(0, 2)).toEqual([3, 11]);
    const checked = await h.request<{ error: { type: string; line: number; msg: string } }>('check', { root: dir, path: 'a.py' });
    expect(checked.error).toMatchObject({ type: 'SyntaxError', line: 1 });
    expect(await h.request('enclosing', { root: project({ 'b.py': 'class A:\n    def m(self):\n        return 1\n' }), path: 'b.py', line: 3 })).toMatchObject({ kind: 'function', qualname: 'A.m', line: 2, endLine: 3 });
    expect(h.starts).toBe(1);
    expect(h.running).toBe(true);
    h.stop();
    expect(h.running).toBe(false);
  });

  it('says where a name is defined across the project and in the standard library', async () => {
    const dir = project({ 'pkg/__init__.py': '', 'pkg/util.py': 'import os\n\ndef slugify(s):\n    return s\n', 'pkg/other.py': 'from pkg.util import slugify\n' });
    const found = await helper().request<Record<string, unknown>>('definitions', { root: dir, name: 'slugify' });
    expect(found.defined).toEqual([{ module: 'pkg.util', path: 'pkg/util.py', line: 3 }]);
    expect(found.imported).toEqual([{ module: 'pkg.util', kind: 'from', alias: 'slugify', asname: null, path: 'pkg/other.py' }]);
    const od = await helper().request<Record<string, unknown>>('definitions', { root: dir, name: 'OrderedDict' });
    expect(od).toMatchObject({ defined: [], stdlibModule: false, stdlibAttribute: ['typing', 'collections'] });
    expect(await helper().request<Record<string, unknown>>('definitions', { root: dir, name: 'json' })).toMatchObject({ stdlibModule: true });
  });

  it('answers an unknown question with an error and keeps running', async () => {
    const h = helper();
    await expect(h.request('nope')).rejects.toThrow(/helper.py KeyError: 'nope'/);
    expect(await h.request<{ version: number[] }>('version')).toHaveProperty('version');
    expect(h.starts).toBe(1);
  });

  it('a missing interpreter is a clear PythonUnavailableError, not a crash', async () => {
    const h = helper('/nonexistent/.venv/bin/python');
    const err = await h.request('version').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PythonUnavailableError);
    expect((err as Error).message).toMatch(/could not start \/nonexistent\/\.venv\/bin\/python \(ENOENT\).*"\.venv\/bin\/python -m pytest"/);
  });
});

describe('syntax fixes', () => {
  const fixesFor = (text: string) => helper().request<Fix[]>('syntax_fixes', { root: project({ 'm.py': text }), path: 'm.py' });

  it("moves a late global to the top of its function, after the docstring", async () => {
    const text = 'x = None\n\n\ndef get():\n    """Doc."""\n    if x is None:\n        global x\n        x = 1\n    return x\n';
    const [fix, ...rest] = await fixesFor(text);
    expect(rest).toEqual([]);
    expect(fix.subject).toBe('move the global declaration of x to the top of get()');
    expect(fix.after).toBe('x = None\n\n\ndef get():\n    """Doc."""\n    global x\n    if x is None:\n        x = 1\n    return x\n');
  });

  it.each([
    ['a missing colon', 'def f(a)\n    return a\n', 'def f(a):\n    return a\n', 'add the missing colon in f()'],
    // packaging's parse_tag(): the colon gone from an `except … as …` clause ends in a name, as a statement could.
    ['a missing colon after except … as', 'def f(t):\n    try:\n        a, b = t\n    except ValueError as exc\n        raise KeyError(t) from exc\n    return a\n', 'def f(t):\n    try:\n        a, b = t\n    except ValueError as exc:\n        raise KeyError(t) from exc\n    return a\n', 'add the missing colon in f()'],
    ['an unclosed bracket', 'def f(a):\n    return max(a, 2\n\nY = 1\n', 'def f(a):\n    return max(a, 2)\n\nY = 1\n', 'close the unclosed parenthesis in f()'],
    ['a stray indent', 'def f(a):\n    b = a\n        return b\n', 'def f(a):\n    b = a\n    return b\n', 'fix the indentation in f()'],
    ['a missing comma', 'ITEMS = [1, 2 3]\n', 'ITEMS = [1, 2, 3]\n', 'add the missing comma'],
  ])('repairs %s first', async (_name, text, expected, subject) => {
    const [first] = await fixesFor(text);
    expect(first.after).toBe(expected);
    expect(first.subject).toBe(subject);
  });

  it('offers nothing for a file that compiles, and never an edit that renames', async () => {
    expect(await fixesFor('x = 1\n')).toEqual([]);
    for (const fix of await fixesFor('def f(a)\n    return a\n')) expect(fix.after.match(/\w+/g)).toEqual(['def', 'f', 'a', 'return', 'a']);
  });
});

describe('rule fixes', () => {
  const ask = (files: Record<string, string>, file: string, line: number, text: string) => helper().request<Fix[]>('rule_fixes', { root: project(files), path: file, line, text });

  it('imports a missing name from the project module that defines it, with the local imports', async () => {
    const files = {
      'app/__init__.py': '',
      'app/util.py': 'def slugify(s):\n    return s.lower()\n',
      'app/views.py': '"""Views."""\nimport os\n\nfrom app.models import Model\n\n\ndef show(s):\n    return slugify(s)\n',
      'app/models.py': 'class Model:\n    pass\n',
    };
    const [first] = await ask(files, 'app/views.py', 8, "NameError: name 'slugify' is not defined");
    expect(first.rule).toBe('missing import');
    expect(first.subject).toBe('import slugify from app.util');
    expect(first.after).toBe('"""Views."""\nimport os\n\nfrom app.models import Model\nfrom app.util import slugify\n\n\ndef show(s):\n    return slugify(s)\n');
  });

  it("imports no name from a module that only sets its attributes (sqlparse's tokens.py with `Tolen.Number = Number`)", async () => {
    const files = {
      'pkg/__init__.py': 'from pkg import sql\n',
      'pkg/tokens.py': 'class _TokenType(tuple):\n    pass\n\n\nToken = _TokenType()\nNumber = Token.Number\nTolen.Number = Number\ntable = {}\ntable[Number] = 1\n',
      'pkg/sql.py': 'from pkg import tokens as T\n',
    };
    // The NameError's traceback runs through every module that imports tokens: none of them is offered an import of Tolen.
    for (const file of ['pkg/__init__.py', 'pkg/sql.py']) expect((await ask(files, file, 1, "NameError: name 'Tolen' is not defined")).filter((f) => f.rule === 'missing import')).toEqual([]);
    const fixes = await ask(files, 'pkg/tokens.py', 7, "NameError: name 'Tolen' is not defined. Did you mean: 'Token'?");
    expect(fixes.filter((f) => f.rule === 'missing import')).toEqual([]);
    expect(fixes[0]).toMatchObject({ rule: 'misspelled name', subject: 'use Token instead of the undefined Tolen' });
  });

  it('adds a standard-library import to the standard-library group and merges into an existing from-import', async () => {
    const files = { 'm.py': 'import os\nfrom collections import deque\n\nimport yaml\n\n\ndef f():\n    return json.dumps(OrderedDict(), os.sep)\n' };
    const json = await ask(files, 'm.py', 8, "NameError: name 'json' is not defined");
    expect(json[0].after).toBe('import json\nimport os\nfrom collections import deque\n\nimport yaml\n\n\ndef f():\n    return json.dumps(OrderedDict(), os.sep)\n');
    const od = await ask(files, 'm.py', 8, "NameError: name 'OrderedDict' is not defined");
    expect(od.map((f) => f.after.split('\n').slice(0, 3).join('\n'))).toContain('import os\nfrom collections import deque, OrderedDict\n');
  });

  it('renames a misspelled name after the imports, the "Did you mean" first', async () => {
    const text = 'def total(values):\n    result = 0\n    for value in values:\n        result += valeu\n    return result\n';
    const fixes = await ask({ 'm.py': text }, 'm.py', 4, "NameError: name 'valeu' is not defined. Did you mean: 'value'?");
    expect(fixes[0]).toMatchObject({ rule: 'misspelled name', subject: 'use value instead of the undefined valeu' });
    expect(fixes[0].after).toBe(text.replace('valeu', 'value'));
  });

  it('fixes an import of a name its module does not define', async () => {
    const files = { 'pkg/__init__.py': '', 'pkg/a.py': 'def parse(x):\n    return x\n', 'pkg/b.py': 'from .a import prase\n\n\ndef go():\n    return prase(1)\n' };
    const fixes = await ask(files, 'pkg/b.py', 1, "ImportError: cannot import name 'prase' from 'pkg.a' (/x/pkg/a.py)");
    expect(fixes[0].after).toBe('from .a import parse\n\n\ndef go():\n    return parse(1)\n');
  });

  it('declares a missing global, and reorders a use before assignment', async () => {
    const counter = 'count = 0\n\n\ndef bump():\n    count += 1\n    return count\n';
    const [global] = await ask({ 'm.py': counter }, 'm.py', 5, "UnboundLocalError: cannot access local variable 'count' where it is not associated with a value");
    expect(global.after).toBe('count = 0\n\n\ndef bump():\n    global count\n    count += 1\n    return count\n');
    const late = 'def f(a):\n    b = total * 2\n    total = a + 1\n    return b\n';
    const [moved] = await ask({ 'n.py': late }, 'n.py', 2, "UnboundLocalError: cannot access local variable 'total' where it is not associated with a value");
    expect(moved.after).toBe('def f(a):\n    total = a + 1\n    b = total * 2\n    return b\n');
  });

  it('awaits a coroutine used as a value', async () => {
    const text = 'async def fetch():\n    return 1\n\n\nasync def total():\n    value = fetch()\n    return value + 1\n';
    const [fix] = await ask({ 'm.py': text }, 'm.py', 7, "TypeError: unsupported operand type(s) for +: 'coroutine' and 'int'\nRuntimeWarning: coroutine 'fetch' was never awaited");
    expect(fix.subject).toBe('await fetch() in total()');
    expect(fix.after).toBe(text.replace('value = fetch()', 'value = await fetch()'));
  });

  it("imports a name whose NameError a handler swallowed (itsdangerous' verify_signature: `except Exception: return False`)", async () => {
    const signer =
      'import hmac\n\nfrom .encoding import base64_encode\n\n\ndef verify(key, sig, value):\n    try:\n        sig = base64_decode(sig)\n    except Exception:\n        return False\n    return hmac.compare_digest(sig, key + value)\n';
    const files = { 'pkg/__init__.py': '', 'pkg/encoding.py': 'def base64_encode(s):\n    return s\n\n\ndef base64_decode(s):\n    return s\n', 'pkg/signer.py': signer };
    const fixes = await ask(files, 'pkg/signer.py', 10, 'itsdangerous.exc.BadSignature: Signature does not match');
    expect(fixes[0]).toMatchObject({ rule: 'missing import', subject: 'import base64_decode from pkg.encoding' });
    expect(fixes[0].after).toBe(signer.replace('from .encoding import base64_encode', 'from .encoding import base64_encode, base64_decode'));
  });

  it('reads no undefined name where every name is bound, or where globals() or a star import may bind any', async () => {
    const bound = 'import os as o\ntry:\n    import json\nexcept ImportError:\n    json = None\n\n\ndef f(a, *rest, **kw):\n    global g\n    g = [x for x in rest]\n    try:\n        return o.sep, json, a, kw, g, __name__\n    except OSError as e:\n        return e\n';
    expect(await ask({ 'm.py': bound }, 'm.py', 12, 'AssertionError: assert 1 == 2')).toEqual([]);
    expect(await ask({ 'm.py': 'globals()["X"] = 1\n\n\ndef f():\n    return X\n', 'n.py': 'X = 1\n' }, 'm.py', 5, 'AssertionError')).toEqual([]);
    expect(await ask({ 'm.py': 'from n import *\n\n\ndef f():\n    return X\n', 'n.py': 'X = 1\n' }, 'm.py', 5, 'AssertionError')).toEqual([]);
  });

  it("answers a problem's text of hundreds of failures (the same NameError in each) as it answers one", async () => {
    const files = { 'pkg/__init__.py': '', 'pkg/utils.py': 'def imt(x):\n    return x\n', 'pkg/grouping.py': 'from pkg.utils import recurse\n\n\ndef group(t):\n    return imt(t)\n' };
    const once = "E   NameError: name 'imt' is not defined\npkg/grouping.py:5: NameError\n";
    const [one, many] = await Promise.all([ask(files, 'pkg/grouping.py', 5, once), ask(files, 'pkg/grouping.py', 5, once.repeat(400))]);
    expect(many).toEqual(one);
    expect(one.map((f) => f.subject)).toEqual(['import imt from pkg.utils']);
  });

  it('proposes nothing semantic in a file that does not compile', async () => {
    expect(await ask({ 'm.py': 'def f(:\n    return json\n' }, 'm.py', 2, "NameError: name 'json' is not defined")).toEqual([]);
  });
});

describe('ranking', () => {
  it('moves a stray indent to the nearest level, not the outermost', async () => {
    const text = 'def f(labels):\n    if labels:\n        del labels[-1]\n            dot = True\n    return dot\n';
    const [first] = await helper().request<Fix[]>('syntax_fixes', { root: project({ 'm.py': text }), path: 'm.py' });
    expect(first.after).toBe('def f(labels):\n    if labels:\n        del labels[-1]\n        dot = True\n    return dot\n');
  });

  it('names the module of a relative import in the subject', async () => {
    const files = { 'pkg/__init__.py': '', 'pkg/data.py': 'X = 1\n', 'pkg/core.py': 'from .data import X\n\n\ndef f():\n    return idx.X\n' };
    const root = project({ ...files, 'pkg/idx.py': 'X = 2\n' });
    const [first] = await helper().request<Fix[]>('rule_fixes', { root, path: 'pkg/core.py', line: 5, text: "NameError: name 'idx' is not defined" });
    expect(first.subject).toBe('import idx from pkg');
    expect(first.after).toBe('from . import idx\nfrom .data import X\n\n\ndef f():\n    return idx.X\n');
  });
});

describe('Python versions', () => {
  // The pyenv interpreters of the machine that built fixloop: 3.8 to 3.13 supported, 3.7 refused.
  const pyenv = (v: string) => `${os.homedir()}/.pyenv/versions/${v}/bin/python`;
  const present = ['3.8.18', '3.9.18', '3.10.13', '3.12.1', '3.13.0'].filter((v) => fs.existsSync(pyenv(v)));

  it.each(present)('Python %s moves the late global', async (v) => {
    const dir = project({ 'm.py': 'x = None\n\n\ndef get():\n    if x is None:\n        global x\n        x = 1\n    return x\n' });
    const [fix] = await helper(pyenv(v)).request<Fix[]>('syntax_fixes', { root: dir, path: 'm.py' });
    expect(fix.subject).toBe('move the global declaration of x to the top of get()');
  });

  it('an interpreter older than 3.8 is refused with a clear message', async () => {
    const old = fs.existsSync(pyenv('3.7.16')) ? pyenv('3.7.16') : undefined;
    const h = helper(old ?? 'python3');
    const err = await h.request('version').then(() => undefined, (e: unknown) => e);
    if (old) expect((err as Error).message).toMatch(/need Python 3\.8 or later; .* is 3\.7\.16/);
    else expect(err).toBeUndefined();
  });
});

describe('a missing comma the parser does not name', () => {
  it('is found at the blank before the token the parser stopped at', async () => {
    const text = 'def split(form):\n    func, args = form[0] form[1:]\n    return func, args\n';
    const fixes = await helper().request<Fix[]>('syntax_fixes', { root: project({ 'm.py': text }), path: 'm.py' });
    expect(fixes.map((f) => f.after)).toContain('def split(form):\n    func, args = form[0], form[1:]\n    return func, args\n');
  });
});
