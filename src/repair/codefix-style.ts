// Code fixes are written in the style the language service is told, not the style of the file:
// left to defaults an import lands with four-space indents, double quotes and no ".js". So the
// style is read from the file (and the project) and passed explicitly.
import { ts, type SourceFile } from 'ts-morph';
import type { AnalysisProject } from '../analysis/project.js';

export function formatSettingsFor(text: string): ts.FormatCodeSettings {
  const indent = indentation(text);
  return {
    ...ts.getDefaultFormatCodeSettings(text.includes('\r\n') ? '\r\n' : '\n'),
    indentSize: indent.size,
    tabSize: indent.size,
    convertTabsToSpaces: !indent.tabs,
    semicolons: semicolons(text),
    insertSpaceAfterOpeningAndBeforeClosingNonemptyBraces: !/^import \{\S/m.test(text) || /^import \{ /m.test(text),
  };
}

export function preferencesFor(sf: SourceFile, analysis: AnalysisProject): ts.UserPreferences {
  return {
    quotePreference: quotes(sf),
    importModuleSpecifierEnding: specifierEnding(sf, analysis),
    importModuleSpecifierPreference: 'relative',
    includePackageJsonAutoImports: 'off',
  };
}

function indentation(text: string): { size: number; tabs: boolean } {
  let tabs = 0;
  let spaces = 0;
  let smallest = Infinity;
  for (const line of text.split('\n')) {
    const lead = /^[ \t]+(?=\S)/.exec(line)?.[0];
    // " * text" inside a JSDoc block is one space of alignment, not indentation.
    if (!lead || line.trimStart().startsWith('*')) continue;
    if (lead.startsWith('\t')) tabs++;
    else {
      spaces++;
      smallest = Math.min(smallest, lead.length);
    }
  }
  if (tabs > spaces) return { size: 4, tabs: true };
  return { size: Number.isFinite(smallest) && smallest <= 8 ? smallest : 2, tabs: false };
}

/** "insert" when most statement-ending lines end in ";", "remove" when none do. */
function semicolons(text: string): ts.SemicolonPreference {
  let withSemicolon = 0;
  let without = 0;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('//') || line.startsWith('*') || line.startsWith('/*')) continue;
    if (line.endsWith(';')) withSemicolon++;
    else if (/^(?:import|export|const|let|var|return|throw)\b/.test(line) && /[\w)'"`\]]$/.test(line)) without++;
  }
  if (withSemicolon > without) return ts.SemicolonPreference.Insert;
  if (without > 0 && withSemicolon === 0) return ts.SemicolonPreference.Remove;
  return ts.SemicolonPreference.Ignore;
}

function quotes(sf: SourceFile): 'single' | 'double' | 'auto' {
  let single = 0;
  let double = 0;
  for (const literal of sf.getDescendantsOfKind(ts.SyntaxKind.StringLiteral)) {
    if (literal.getText().startsWith("'")) single++;
    else double++;
  }
  if (single === double) return 'auto';
  return single > double ? 'single' : 'double';
}

const RELATIVE = /^\.\.?\//;
const WITH_EXTENSION = /\.[cm]?[jt]sx?$/;

/**
 * ".js" when the file's own relative imports carry an extension (as NodeNext requires), "minimal"
 * when they do not; with no relative import in the file, the project's other files decide, then
 * the module resolution.
 */
function specifierEnding(sf: SourceFile, analysis: AnalysisProject): 'js' | 'minimal' | 'auto' {
  const own = relativeSpecifiers(sf);
  const specifiers = own.length > 0 ? own : analysis.project.getSourceFiles().slice(0, 200).flatMap(relativeSpecifiers);
  if (specifiers.length > 0) {
    const withExtension = specifiers.filter((s) => WITH_EXTENSION.test(s)).length;
    return withExtension * 2 >= specifiers.length ? 'js' : 'minimal';
  }
  const { module, moduleResolution } = analysis.compilerOptions;
  const nodeResolution = moduleResolution === ts.ModuleResolutionKind.Node16 || moduleResolution === ts.ModuleResolutionKind.NodeNext;
  const nodeModule = module !== undefined && module >= ts.ModuleKind.Node16 && module <= ts.ModuleKind.NodeNext;
  return nodeResolution || (moduleResolution === undefined && nodeModule) ? 'js' : 'auto';
}

function relativeSpecifiers(sf: SourceFile): string[] {
  const specifiers = [
    ...sf.getImportDeclarations().map((d) => d.getModuleSpecifierValue()),
    ...sf.getExportDeclarations().map((d) => d.getModuleSpecifierValue()),
  ];
  return specifiers.filter((s): s is string => s !== undefined && RELATIVE.test(s));
}
