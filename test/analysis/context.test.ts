import { afterAll, describe, expect, it } from 'vitest';
import { contextFor, DEFAULT_BUDGET } from '../../src/analysis/context.js';
import { enclosingAt, positionOf } from '../../src/analysis/enclosing.js';
import { projectFor } from '../../src/analysis/project.js';
import { copyFixture, removeCopies } from './fixture.js';

afterAll(removeCopies);

const TOTAL = `total(): number {
    const net = this.lines.reduce((sum, line) => sum + line.price * line.quantity, 0);
    const shipping = net >= FREE_SHIPPING ? 0 : 5;
    const gross: string = net * (1 + taxRate);
    return round(gross + shipping);
  }`;

describe('contextFor', () => {
  it('gathers the enclosing method, the imports, what the method refers to and the nearby errors', () => {
    const root = copyFixture('context');
    expect(contextFor(root, { file: 'src/cart.ts', line: 20, column: 11 })).toEqual({
      file: 'src/cart.ts',
      enclosing: { kind: 'MethodDeclaration', name: 'Cart.total', startLine: 17, endLine: 22, text: TOTAL },
      imports: ["import { round, taxRate } from './tax.js';"],
      referencedDeclarations: [
        { name: 'lines', file: 'src/cart.ts', line: 11, text: 'private lines: Line[] = [];' },
        { name: 'price', file: 'src/cart.ts', line: 4, text: 'price: number;' },
        { name: 'quantity', file: 'src/cart.ts', line: 5, text: 'quantity: number;' },
        { name: 'FREE_SHIPPING', file: 'src/cart.ts', line: 8, text: 'const FREE_SHIPPING = 100;' },
        { name: 'taxRate', file: 'src/tax.ts', line: 2, text: 'export const taxRate = 0.2;' },
        { name: 'round', file: 'src/tax.ts', line: 4, text: 'export function round(value: number): number {\n  return Math.round(value * 100) / 100;\n}' },
      ],
      diagnostics: [
        { file: 'src/cart.ts', line: 20, column: 11, code: 2322, message: "Type 'number' is not assignable to type 'string'.", category: 'error' },
        { file: 'src/cart.ts', line: 21, column: 18, code: 2345, message: "Argument of type 'string' is not assignable to parameter of type 'number'.", category: 'error' },
      ],
    });
  });

  it('takes a top-level variable statement as the enclosing declaration outside any function', () => {
    const root = copyFixture('context');
    const context = contextFor(root, { file: 'src/cart.ts', line: 8 });
    expect(context?.enclosing).toEqual({ kind: 'VariableStatement', name: 'FREE_SHIPPING', startLine: 8, endLine: 8, text: 'const FREE_SHIPPING = 100;' });
    expect(context?.referencedDeclarations).toEqual([]);
  });

  it('cuts a long declaration to its signature and the lines around the location', () => {
    const root = copyFixture('context');
    const budget = { ...DEFAULT_BUDGET, total: 520, windowLines: 1, maxReferences: 2, maxReferenceChars: 20, diagnosticLines: 0 };
    expect(contextFor(root, { file: 'src/cart.ts', line: 20 }, budget)).toEqual({
      file: 'src/cart.ts',
      enclosing: {
        kind: 'MethodDeclaration',
        name: 'Cart.total',
        startLine: 17,
        endLine: 22,
        text: [
          'total(): number {',
          '/* … 1 line omitted */',
          '    const shipping = net >= FREE_SHIPPING ? 0 : 5;',
          '    const gross: string = net * (1 + taxRate);',
          '    return round(gross + shipping);',
          '/* … 1 line omitted */',
        ].join('\n'),
      },
      imports: ["import { round, taxRate } from './tax.js';"],
      referencedDeclarations: [
        { name: 'lines', file: 'src/cart.ts', line: 11, text: 'private lines: Line[ …' },
        { name: 'price', file: 'src/cart.ts', line: 4, text: 'price: number;' },
      ],
      diagnostics: [
        { file: 'src/cart.ts', line: 20, column: 11, code: 2322, message: "Type 'number' is not assignable to type 'string'.", category: 'error' },
      ],
    });
  });

  it('stays within the character budget', () => {
    const root = copyFixture('context');
    const context = contextFor(root, { file: 'src/cart.ts', line: 20 }, { ...DEFAULT_BUDGET, total: 300 });
    const size =
      (context?.enclosing?.text.length ?? 0) +
      context!.imports.join('').length +
      context!.referencedDeclarations.map((r) => r.text).join('').length +
      context!.diagnostics.map((d) => d.message).join('').length;
    expect(size).toBeLessThanOrEqual(300);
    expect(context?.enclosing?.name).toBe('Cart.total');
  });

  it('is undefined for a file it cannot load or a line the file does not have', () => {
    const root = copyFixture('context');
    expect(contextFor(root, { file: 'src/nope.ts', line: 1 })).toBeUndefined();
    expect(contextFor(root, { file: 'src/cart.ts', line: 99 })).toBeUndefined();
  });
});

describe('enclosingAt', () => {
  it('names a method after its class and looks through callbacks to the function that owns them', () => {
    const root = copyFixture('missing-import');
    const sf = projectFor(root).sourceFile('src/greet.ts')!;
    const method = enclosingAt(sf, positionOf(sf, 7, 16)!);
    expect(method && { kind: method.kind, name: method.name, callable: method.callable, lines: [method.startLine, method.endLine] }).toEqual({
      kind: 'MethodDeclaration',
      name: 'Greeter.greet',
      callable: true,
      lines: [6, 8],
    });
    const fn = enclosingAt(sf, positionOf(sf, 12)!);
    expect(fn && [fn.kind, fn.name, fn.startLine, fn.endLine]).toEqual(['FunctionDeclaration', 'greet', 11, 13]);

    const context = projectFor(copyFixture('context')).sourceFile('src/cart.ts')!;
    // Line 18 is inside the arrow function passed to reduce().
    const owner = enclosingAt(context, positionOf(context, 18, 60)!);
    expect(owner?.name).toBe('Cart.total');
  });
});
