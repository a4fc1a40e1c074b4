/**
 * The machinery of the README-example specs (spec/core/readme.spec.ts, spec/fastify/readme.spec.ts,
 * spec/testing/readme.spec.ts, spec/operators/readme.spec.ts): each runs copies of the ```ts
 * blocks of its README sections, so the examples cannot rot. This module reads the blocks, checks
 * that the spec holds them verbatim and in order with the same imports, and checks the
 * `// → output` comments against what an example really prints.
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { format } from 'node:util';

const README_PATH = resolve(__dirname, '../../README.md');

/**
 * What {@link readmeExamples} needs to know about one README-example spec.
 *
 * @example
 * const options: ReadmeExamplesOptions = {
 *   sections: ['core'],
 *   spec: __filename,
 *   modules: { 'rx-signals': '../../lib', rxjs: 'rxjs' },
 * };
 */
export interface ReadmeExamplesOptions {
  /** README sections (`<!-- section:NAME -->` ... `<!-- /section:NAME -->`), in the order the spec copies them. */
  readonly sections: readonly string[];
  /** The spec file that holds the copies: pass `__filename`. */
  readonly spec: string;
  /**
   * Every module the README's examples may import from, with the specifier the spec imports it
   * by: the package itself (`rxjs: 'rxjs'`) or a path relative to the spec (`'rx-signals': '../../lib'`).
   */
  readonly modules: Readonly<Record<string, string>>;
}

/**
 * The ```ts blocks of some README sections, and the checks that tie them to the spec copying them.
 *
 * @example
 * const readme = readmeExamples({ sections: ['core'], spec: __filename, modules: { 'rx-signals': '../../lib' } });
 * it('has exactly the examples this file runs', () => readme.expectCopiedInOrder());
 */
export interface ReadmeExamples {
  /** The code of every ```ts block of the sections, in README order (sections in the order given). */
  readonly blocks: readonly string[];
  /**
   * Fails unless the README imports only from the given modules, every name it imports exists in
   * its module at run time, and the spec imports exactly the same bindings from those modules.
   */
  expectSameImports(): void;
  /**
   * Fails unless the spec holds every block (its imports aside, which {@link expectSameImports}
   * covers) verbatim, indentation aside, each after the previous one.
   */
  expectCopiedInOrder(): void;
}

/**
 * Reads README.md and the spec file once, for the checks of {@link ReadmeExamples}. A section
 * that is missing or has no ```ts block throws at once, naming it.
 *
 * @example
 * const readme = readmeExamples({
 *   sections: ['plugin'],
 *   spec: __filename,
 *   modules: { fastify: 'fastify', 'rx-signals': '../../lib', rxjs: 'rxjs' },
 * });
 * it('imports only what the public entry exports', () => readme.expectSameImports());
 * it('has exactly the examples this file runs', () => readme.expectCopiedInOrder());
 */
export function readmeExamples(options: ReadmeExamplesOptions): ReadmeExamples {
  const { sections, spec, modules } = options;
  if (sections.length === 0) {
    throw new TypeError("readmeExamples({ sections }): name at least one README section, e.g. sections: ['core'].");
  }
  const readme = readFileSync(README_PATH, 'utf8');
  const specText = readFileSync(spec, 'utf8');
  const located = sections.flatMap((section) => sectionBlocks(readme, section).map((code) => ({ section, code })));
  const blocks = located.map(({ code }) => code);
  const specName = basename(spec);

  return {
    blocks,

    expectSameImports() {
      const readmeImports = blocks.flatMap(importsOf);
      // Without this, a parser that finds nothing on either side would pass.
      expect(readmeImports.length).toBeGreaterThan(0);
      for (const { module, binding, runtimeName } of readmeImports) {
        // Checked as a tuple so that a failure names the module and the binding.
        expect([module, binding, Object.hasOwn(modules, module)]).toEqual([module, binding, true]);
        if (runtimeName === undefined) continue; // a type: the type check (tsc) covers it
        const loaded = loadAsSpec(spec, modules[module]);
        expect([module, binding, runtimeName === 'default' || runtimeName in loaded]).toEqual([module, binding, true]);
      }
      const specPaths = new Set(Object.values(modules));
      const wanted = readmeImports.map(({ module, binding }) => `${binding} from ${modules[module]}`);
      const found = importsOf(specText)
        .filter(({ module }) => specPaths.has(module))
        .map(({ module, binding }) => `${binding} from ${module}`);
      // Received: what the spec imports; expected: what the README imports (module paths mapped).
      expect(uniqueSorted(found)).toEqual(uniqueSorted(wanted));
    },

    expectCopiedInOrder() {
      // Line-anchored: a block's first and last lines must be whole lines of the spec.
      const haystack = `\n${normalized(specText)}\n`;
      let searchFrom = 0;
      for (const { section, code } of located) {
        const needle = normalized(withoutImports(code));
        if (needle === '') continue; // imports only
        const found = haystack.indexOf(`\n${needle}\n`, searchFrom);
        if (found < 0) {
          const elsewhere = haystack.includes(`\n${needle}\n`) ? ' (it is there, but before the previous block)' : '';
          throw new Error(
            `README section "${section}": this block is not copied verbatim in ${specName}${elsewhere}:\n${code}`,
          );
        }
        searchFrom = found + needle.length + 1;
      }
    },
  };
}

/**
 * The outputs a README block promises in its `// → output` comments, in order: everything after
 * the arrow. A few words may stand before the arrow (`// a second later → 2 requests`).
 *
 * @example
 * promisedOutputs("console.log(1 + 1); // → 2\nconsole.log('a'); // → a"); // ['2', 'a']
 */
export function promisedOutputs(block: string): string[] {
  return [...block.matchAll(/\/\/ (?:[^→\n]*? )?→ (.*)$/gm)].map((match) => match[1]);
}

/**
 * Runs `run` and returns what it printed with `console.log`, one string per call, formatted as
 * the console formats it. `console.error` is silenced meanwhile: examples that show receivers
 * failing on purpose make the core's fallback report them there when nobody else listens. Both
 * are restored afterwards, also when `run` throws. `untilPrinted(n)` lets an example that prints
 * later (after a timer) wait for its `n`th line: it resolves on the print itself, never on a sleep.
 *
 * @example
 * const printed = await printedBy(async (untilPrinted) => {
 *   setTimeout(() => console.log('later', 1), 10);
 *   await untilPrinted(1);
 * });
 * expect(printed).toEqual(['later 1']);
 */
export async function printedBy(run: (untilPrinted: (count: number) => Promise<void>) => unknown): Promise<string[]> {
  const printed: string[] = [];
  let waiters: Array<() => void> = [];
  const untilPrinted = async (count: number) => {
    while (printed.length < count) await new Promise<void>((wake) => waiters.push(wake));
  };
  const originalLog = console.log;
  const originalError = console.error;
  console.log = (...values: unknown[]) => {
    printed.push(format(...values));
    const woken = waiters;
    waiters = [];
    for (const wake of woken) wake();
  };
  console.error = () => undefined;
  try {
    await run(untilPrinted);
  } finally {
    console.log = originalLog;
    console.error = originalError;
  }
  return printed;
}

/**
 * One runnable README example of a spec: its title and its code, copied from the README
 * (wrapped in a function). `untilPrinted(n)` is {@link printedBy}'s, for an example that prints
 * after a timer.
 *
 * @example
 * const example: ReadmeExample = ['connect, send', async () => console.log(signal.send(null, {}))];
 */
export type ReadmeExample = readonly [
  title: string,
  run: (untilPrinted: (count: number) => Promise<void>) => Promise<void>,
];

/**
 * Declares one test per example: it runs, prints exactly what the `// → output` comments of its
 * README block promise (`blocks[i]` for `examples[i]`), and then `leavesClean` (if given) holds,
 * e.g. that the example disconnected its receivers.
 *
 * @example
 * itRunsEachExample(examples, readme.blocks.slice(1), () => expect(requestFinished.hasListeners()).toBe(false));
 */
export function itRunsEachExample(
  examples: readonly ReadmeExample[],
  blocks: readonly string[],
  leavesClean: () => void = () => undefined,
): void {
  it.each(examples.map(([title, run], index) => [title, run, index] as const))(
    'example "%s" runs and prints what its comments say',
    async (_title, run, index) => {
      expect(await printedBy(run)).toEqual(promisedOutputs(blocks[index]));
      leavesClean();
    },
  );
}

/** The ```ts blocks between a section's markers. */
function sectionBlocks(readme: string, section: string): string[] {
  const start = `<!-- section:${section} -->`;
  const end = `<!-- /section:${section} -->`;
  const from = readme.indexOf(start);
  const to = readme.indexOf(end, from);
  if (from < 0 || to < 0) throw new Error(`README.md has no section "${section}" (between ${start} and ${end}).`);
  const blocks = [...readme.slice(from, to).matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]);
  if (blocks.length === 0) throw new Error(`README.md section "${section}" has no \`\`\`ts block.`);
  return blocks;
}

/** A top-level import statement: `import [type] [Default][, ]{ named } | * as ns from 'module';`. */
const IMPORT_STATEMENT =
  /^import\s+(type\s+)?(?:(\w+)\s*,?\s*)?(?:\{([^}]*)\}|\*\s+as\s+(\w+))?\s*from\s+'([^']+)';?[^\S\n]*(?:\n|$)/gm;

/** One binding an import statement makes. */
interface ImportedBinding {
  readonly module: string;
  /** How the statement spells it: `Fastify (default)`, `* as rxjs`, `filter`, `type RequestSummary`, `a as b`. */
  readonly binding: string;
  /** The export it reads at run time (`default` for a default or namespace import); undefined for a type. */
  readonly runtimeName: string | undefined;
}

function importsOf(code: string): ImportedBinding[] {
  return [...code.matchAll(IMPORT_STATEMENT)].flatMap(([, typeOnly, defaultName, named, namespace, module]) => {
    const bindings: ImportedBinding[] = [];
    // A default or namespace import reads the module itself: that it loads is the whole check
    // (esModuleInterop gives every CommonJS module a default).
    if (defaultName)
      bindings.push({ module, binding: `${defaultName} (default)`, runtimeName: typeOnly ? undefined : 'default' });
    if (namespace)
      bindings.push({ module, binding: `* as ${namespace}`, runtimeName: typeOnly ? undefined : 'default' });
    for (const part of (named ?? '').split(',')) {
      const spelled = part.trim().replace(/\s+/g, ' ');
      if (spelled === '') continue;
      const isType = Boolean(typeOnly) || spelled.startsWith('type ');
      bindings.push({
        module,
        binding: typeOnly ? `type ${spelled}` : spelled,
        runtimeName: isType ? undefined : spelled.split(' as ')[0],
      });
    }
    return bindings;
  });
}

function withoutImports(code: string): string {
  return code.replace(IMPORT_STATEMENT, '');
}

/** Code without indentation (copies in a spec sit inside functions), blank lines kept. */
function normalized(code: string): string {
  return code
    .split('\n')
    .map((line) => line.trim())
    .join('\n')
    .trim();
}

/** A module loaded the way the spec imports it: a package by name, a relative path from the spec's folder. */
function loadAsSpec(spec: string, specifier: string): object {
  return require(specifier.startsWith('.') ? resolve(dirname(spec), specifier) : specifier) as object;
}

function uniqueSorted(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}
