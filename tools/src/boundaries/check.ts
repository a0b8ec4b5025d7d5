import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { ToolError } from '../errors.js';

/** A workspace project as the boundary check sees it. */
export interface Project {
  name: string;
  /** Folder relative to the repo root, `/`-separated. */
  root: string;
  tags: string[];
  dependencies: string[];
  references: string[];
}

/** Which tags a project with `sourceTag` may depend on (Nx's depConstraints, enforced here). */
export interface DependencyConstraint {
  sourceTag: string;
  onlyDependOnTags: string[];
}

/**
 * The Lakewatch boundaries: apps depend only on packages (never on another app), packages
 * only on packages, tools only on packages, and the contracts package on nothing of ours.
 */
export const DEFAULT_CONSTRAINTS: readonly DependencyConstraint[] = [
  { sourceTag: 'type:app', onlyDependOnTags: ['type:lib'] },
  { sourceTag: 'type:lib', onlyDependOnTags: ['type:lib'] },
  { sourceTag: 'type:tool', onlyDependOnTags: ['type:lib'] },
  { sourceTag: 'scope:contracts', onlyDependOnTags: [] },
];

const SOURCE_EXT = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;
// Build configuration (vitest.config.ts, …) may import the shared config under tools/; only
// project code is held to the boundaries.
const CONFIG_FILE = /\.config\.(ts|mts|js|mjs|cjs)$/;
const SKIP_DIRS = new Set(['node_modules', 'dist', 'build', 'coverage', 'cdk.out', '.nx']);

function readJson(path: string): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch (cause) {
    throw new ToolError(`${path}: cannot read JSON: ${(cause as Error).message}`, { cause });
  }
}

function toPosix(path: string): string {
  return path.split(sep).join('/');
}

/** Lists the workspace projects named by the root package.json's `workspaces` globs. */
export function listProjects(repoRoot: string): Project[] {
  const rootPkg = readJson(join(repoRoot, 'package.json'));
  const globs = (rootPkg.workspaces as string[] | undefined) ?? [];
  const dirs: string[] = [];
  for (const glob of globs) {
    if (glob.endsWith('/*')) {
      const parent = join(repoRoot, glob.slice(0, -2));
      if (!existsSync(parent)) continue;
      for (const n of readdirSync(parent).sort()) {
        if (existsSync(join(parent, n, 'package.json'))) dirs.push(join(glob.slice(0, -2), n));
      }
    } else if (existsSync(join(repoRoot, glob, 'package.json'))) dirs.push(glob);
  }
  return dirs.map((dir) => {
    const pkg = readJson(join(repoRoot, dir, 'package.json'));
    const nx = (pkg.nx as { tags?: string[] } | undefined) ?? {};
    const deps = { ...(pkg.dependencies as object), ...(pkg.devDependencies as object) };
    const tsconfigPath = join(repoRoot, dir, 'tsconfig.json');
    const tsconfig = existsSync(tsconfigPath) ? readJson(tsconfigPath) : {};
    const refs = ((tsconfig.references as { path: string }[] | undefined) ?? []).map((r) =>
      toPosix(relative(repoRoot, resolve(repoRoot, dir, r.path))),
    );
    return {
      name: String(pkg.name),
      root: toPosix(dir),
      tags: nx.tags ?? [],
      dependencies: Object.keys(deps),
      references: refs,
    };
  });
}

function* sourceFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    if (SKIP_DIRS.has(name) || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sourceFiles(path);
    else if (SOURCE_EXT.test(name) && !name.endsWith('.d.ts') && !CONFIG_FILE.test(name))
      yield path;
  }
}

/**
 * The npm package a bare specifier names (`@aws-sdk/client-s3/dist` → `@aws-sdk/client-s3`), or
 * undefined for Node built-ins, relative and absolute paths.
 */
export function packageOf(spec: string): string | undefined {
  if (spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('node:')) return undefined;
  const parts = spec.split('/');
  const name = spec.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? spec);
  return builtinModules.includes(name) ? undefined : name;
}

/**
 * Every module specifier a source text imports, exports from, requires or dynamically
 * imports, found by TypeScript's own pre-processor (so strings and comments never count).
 */
export function importSpecifiers(text: string): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
}

/** One broken boundary: the file and line, what it imports, and the rule it breaks. */
export interface Violation {
  file: string;
  line: number;
  specifier: string;
  message: string;
}

function lineOf(text: string, spec: string): number {
  const i = text.search(new RegExp(`['"]${spec.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}['"]`));
  return i < 0 ? 0 : text.slice(0, i).split('\n').length;
}

function allowed(
  from: Project,
  to: Project,
  constraints: readonly DependencyConstraint[],
): string | undefined {
  for (const c of constraints) {
    if (!from.tags.includes(c.sourceTag)) continue;
    if (!c.onlyDependOnTags.some((t) => to.tags.includes(t))) {
      const may = c.onlyDependOnTags.length
        ? `only ${c.onlyDependOnTags.join(', ')}`
        : 'no project of ours';
      return `a project tagged ${c.sourceTag} may depend on ${may}; ${to.name} is tagged ${to.tags.join(', ') || 'nothing'}`;
    }
  }
  return undefined;
}

/**
 * Checks every project's tags and imports against the constraints. Also reports imports of a
 * workspace package that its package.json does not declare or its tsconfig does not
 * reference, npm packages it does not declare (nor the root package.json), deep imports past a
 * package's entry, and relative imports into another project.
 */
export function checkBoundaries(
  repoRoot: string,
  constraints: readonly DependencyConstraint[] = DEFAULT_CONSTRAINTS,
): Violation[] {
  const projects = listProjects(repoRoot);
  // The root package.json's dependencies are installed at the root for every project (vitest,
  // fast-check); any other package a project imports must be its own declared dependency, or a
  // clean install may put it where the project cannot resolve it.
  const rootPkg = readJson(join(repoRoot, 'package.json'));
  const rootDeps = new Set(
    Object.keys({ ...(rootPkg.dependencies as object), ...(rootPkg.devDependencies as object) }),
  );
  const byName = new Map(projects.map((p) => [p.name, p]));
  const violations: Violation[] = [];
  for (const p of projects) {
    const scopes = p.tags.filter((t) => t.startsWith('scope:'));
    const types = p.tags.filter((t) => t.startsWith('type:'));
    if (scopes.length !== 1 || types.length !== 1) {
      violations.push({
        file: `${p.root}/package.json`,
        line: 0,
        specifier: '',
        message: `${p.name} must carry exactly one scope: tag and one type: tag, has [${p.tags.join(', ')}]`,
      });
    }
  }
  for (const p of projects) {
    const projectDir = join(repoRoot, p.root);
    for (const file of sourceFiles(projectDir)) {
      const text = readFileSync(file, 'utf8');
      const rel = toPosix(relative(repoRoot, file));
      for (const spec of importSpecifiers(text)) {
        let target: Project | undefined;
        let problem: string | undefined;
        if (spec.startsWith('@lakewatch/')) {
          const [, name, ...deep] = spec.split('/');
          target = byName.get(`@lakewatch/${name}`);
          if (!target) problem = `imports ${spec}, which is no workspace project`;
          else if (target === p) problem = `imports itself as ${spec}; use a relative import`;
          else if (deep.length > 0)
            problem = `deep import ${spec}: import ${target.name} from its entry (src/index.ts)`;
          else if (!p.dependencies.includes(target.name))
            problem = `imports ${target.name} without declaring it in ${p.root}/package.json`;
          else if (!p.references.includes(target.root))
            problem = `imports ${target.name} without a reference to ${target.root} in ${p.root}/tsconfig.json`;
          else problem = allowed(p, target, constraints);
        } else if (packageOf(spec) !== undefined) {
          const pkg = packageOf(spec) as string;
          if (!p.dependencies.includes(pkg) && !rootDeps.has(pkg))
            problem = `imports ${pkg} without declaring it in ${p.root}/package.json`;
        } else if (spec.startsWith('.')) {
          const resolved = toPosix(relative(repoRoot, resolve(dirname(file), spec)));
          if (!resolved.startsWith(`${p.root}/`)) {
            target = projects.find((q) => resolved === q.root || resolved.startsWith(`${q.root}/`));
            if (target)
              problem = `relative import ${spec} reaches into ${target.name}; import it as ${target.name}`;
          }
        }
        if (problem)
          violations.push({
            file: rel,
            line: lineOf(text, spec),
            specifier: spec,
            message: `${p.name}: ${problem}`,
          });
      }
    }
  }
  return violations;
}
