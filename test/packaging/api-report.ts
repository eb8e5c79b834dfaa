/**
 * The API report: every public entry of every publishable package, as the
 * declarations a user sees (comments stripped, sorted by name), one Markdown
 * file per package at `packages/<name>/api-report.md`. Generated from the
 * sources with the TypeScript compiler's declaration emit, so it needs no
 * build. `test/packaging/api-report.test.ts` fails when a committed report
 * differs from the sources, so every change of the public surface shows in a
 * diff; regenerate with `npm run api:update`.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

interface Manifest {
  name: string;
  private?: boolean;
  exports?: Record<string, unknown>;
}

/** Entries of the publishable packages: specifier → source file (through tsconfig.workspace.json paths). */
export function publicEntries(): { pkg: string; dir: string; specifier: string; source: string }[] {
  const workspace = JSON.parse(readFileSync(join(ROOT, 'tsconfig.workspace.json'), 'utf8')) as {
    compilerOptions: { paths: Record<string, [string]> };
  };
  const entries: { pkg: string; dir: string; specifier: string; source: string }[] = [];
  for (const name of readdirSync(join(ROOT, 'packages')).sort()) {
    const dir = join(ROOT, 'packages', name);
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
    if (manifest.private === true) continue;
    for (const subpath of Object.keys(manifest.exports ?? {})) {
      if (subpath === './package.json') continue;
      const specifier = subpath === '.' ? manifest.name : `${manifest.name}/${subpath.slice(2)}`;
      const path = workspace.compilerOptions.paths[specifier]?.[0];
      if (path === undefined) throw new Error(`tsconfig.workspace.json has no path for ${specifier}`);
      entries.push({ pkg: manifest.name, dir, specifier, source: join(ROOT, path) });
    }
  }
  return entries;
}

function compilerOptions(): ts.CompilerOptions {
  const file = join(ROOT, 'tsconfig.workspace.json');
  const parsed = ts.parseJsonConfigFileContent(ts.readConfigFile(file, ts.sys.readFile).config, ts.sys, ROOT);
  return {
    ...parsed.options,
    noEmit: false,
    declaration: true,
    emitDeclarationOnly: true,
    removeComments: true,
    sourceMap: false,
    declarationMap: false,
  };
}

/** The report of each package (package name → Markdown). */
export function buildApiReports(): Map<string, { dir: string; text: string }> {
  const entries = publicEntries();
  const program = ts.createProgram(
    entries.map((e) => e.source),
    compilerOptions(),
  );
  const emitted = new Map<string, ts.SourceFile>();
  program.emit(undefined, (fileName, text) => {
    emitted.set(
      fileName.replace(/\.d\.ts$/, ''),
      ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest),
    );
  });
  const checker = program.getTypeChecker();
  const printer = ts.createPrinter({ removeComments: true, newLine: ts.NewLineKind.LineFeed });

  /** The emitted declaration(s) named `name` at the top level of the .d.ts of `sourceFile`. */
  function declarationText(sourceFile: string, name: string): string {
    const dts = emitted.get(sourceFile.replace(/\.tsx?$/, ''));
    if (dts === undefined) return `/* ${name}: no declaration emitted */`;
    const parts: string[] = [];
    for (const statement of dts.statements) {
      const named =
        (ts.isFunctionDeclaration(statement) ||
          ts.isClassDeclaration(statement) ||
          ts.isInterfaceDeclaration(statement) ||
          ts.isTypeAliasDeclaration(statement) ||
          ts.isEnumDeclaration(statement) ||
          ts.isModuleDeclaration(statement)) &&
        statement.name?.getText(dts) === name;
      const variable =
        ts.isVariableStatement(statement) &&
        statement.declarationList.declarations.some((d) => d.name.getText(dts) === name);
      if (named || variable) parts.push(printer.printNode(ts.EmitHint.Unspecified, statement, dts));
    }
    return parts.length > 0 ? parts.join('\n') : `/* ${name}: declaration not found */`;
  }

  const reports = new Map<string, { dir: string; text: string }>();
  for (const entry of entries) {
    const source = program.getSourceFile(entry.source);
    const moduleSymbol = source === undefined ? undefined : checker.getSymbolAtLocation(source);
    if (moduleSymbol === undefined) throw new Error(`cannot read ${entry.source}`);
    const blocks = checker
      .getExportsOfModule(moduleSymbol)
      .map((exported) => {
        const target = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
        const files = [...new Set((target.declarations ?? []).map((d) => d.getSourceFile().fileName))];
        const text = files.map((file) => declarationText(file, target.name)).join('\n');
        const renamed = target.name === exported.name ? '' : `// exported as ${exported.name}\n`;
        return { name: exported.name, text: `${renamed}${text}` };
      })
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const section = [
      `## \`${entry.specifier}\``,
      '',
      '```ts',
      ...blocks.map((b) => b.text.replace(/^export declare /gm, '').replace(/^export /gm, '')),
      '```',
      '',
    ].join('\n');
    const report = reports.get(entry.pkg) ?? {
      dir: entry.dir,
      text: [
        `# API report: ${entry.pkg}`,
        '',
        'Generated by `npm run api:update` from the sources; checked by `test/packaging/api-report.test.ts`.',
        'Every export of every entry, as the declarations users see (comments stripped).',
        '',
      ].join('\n'),
    };
    report.text += `\n${section}`;
    reports.set(entry.pkg, report);
  }
  return reports;
}

export const REPORT_FILE = 'api-report.md';

if (process.argv.includes('--write')) {
  for (const [pkg, { dir, text }] of buildApiReports()) {
    writeFileSync(join(dir, REPORT_FILE), text);
    console.log(`${pkg}: ${relative(ROOT, join(dir, REPORT_FILE))}`);
  }
}
