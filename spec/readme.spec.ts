/**
 * The README's top sections: the Quick start example runs as written (copied verbatim below and
 * checked against README.md by spec/support/readme-examples.ts, `// →` comments included), and
 * the table of contents lists every section (spec/docs.spec.ts checks that every link resolves).
 */
import Fastify from 'fastify';
import { signalsPlugin, requestFinished } from '../lib';
import { markdownAnchors, markdownLinks } from './support/markdown';
import { itRunsEachExample, readmeExamples, type ReadmeExample } from './support/readme-examples';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');

/** The Quick start example, verbatim. */
const examples: ReadmeExample[] = [
  [
    'quick start',
    async () => {
      const app = Fastify();
      await app.register(signalsPlugin);
      app.get('/hello', async () => 'hello');

      app.signals.connect(requestFinished, ({ request, reply, outcome }) =>
        console.log(request.url, reply.statusCode, outcome),
      );
      await app.inject('/hello'); // → /hello 200 completed
      await app.inject('/nowhere'); // → /nowhere 404 completed
      await app.close();
    },
  ],
];

describe('README quick start', () => {
  const readme = readmeExamples({
    sections: ['quickstart'],
    spec: __filename,
    modules: { fastify: 'fastify', 'rx-signals': '../lib' },
  });

  it('imports only what fastify and rx-signals export', () => readme.expectSameImports());

  it('has exactly the example this file runs, verbatim', () => {
    expect(readme.blocks).toHaveLength(examples.length);
    readme.expectCopiedInOrder();
  });

  itRunsEachExample(examples, readme.blocks, () => expect(requestFinished.hasListeners()).toBe(false));
});

describe('README contents', () => {
  const readme = readFileSync(resolve(ROOT, 'README.md'), 'utf8');

  it('has a table of contents naming every top-level section, in order', () => {
    const contents = readme.slice(readme.indexOf('## Contents'), readme.indexOf('\n## ', readme.indexOf('## Contents') + 1));
    const listed = markdownLinks(contents).map(({ target }) => target);
    const sections = [...readme.matchAll(/^## (.+)$/gm)]
      .map(([, title]) => title)
      .filter((title) => title !== 'Contents');
    const sectionAnchors = markdownAnchors(sections.map((title) => `## ${title}`).join('\n'));
    expect(listed).toEqual(sectionAnchors.map((anchor) => `#${anchor}`));
  });
});
