/**
 * Markdown as GitHub renders it, for the specs that check the project's documents: the anchors
 * its headings get and the links it holds.
 */

/** One `[text](target)` link (images included). */
export interface MarkdownLink {
  readonly text: string;
  readonly target: string;
}

/**
 * The anchor of every heading, in order, as GitHub makes them: lower case, punctuation dropped,
 * spaces as hyphens, and `-1`, `-2`, ... after a repeated one. Headings inside code blocks are
 * not headings.
 *
 * @example
 * markdownAnchors('## Testing: `rx-signals/testing`\n### Guarantees\n### Guarantees');
 * // ['testing-rx-signalstesting', 'guarantees', 'guarantees-1']
 */
export function markdownAnchors(markdown: string): string[] {
  const seen = new Map<string, number>();
  return [...withoutCodeBlocks(markdown).matchAll(/^#{1,6} (.+)$/gm)].map(([, title]) => {
    const slug = title
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    return count === 0 ? slug : `${slug}-${count}`;
  });
}

/**
 * Every link outside code blocks and inline code, in order.
 *
 * @example
 * markdownLinks('See [the design](docs/design.md#layers), not `[x](y)`.');
 * // [{ text: 'the design', target: 'docs/design.md#layers' }]
 */
export function markdownLinks(markdown: string): MarkdownLink[] {
  const prose = withoutCodeBlocks(markdown).replace(/`[^`\n]*`/g, '``');
  return [...prose.matchAll(/\[([^\]]*)\]\(([^)\s]+)\)/g)].map(([, text, target]) => ({ text, target }));
}

function withoutCodeBlocks(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```/gm, '');
}
