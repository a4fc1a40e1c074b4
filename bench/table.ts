/**
 * A GitHub-flavoured markdown table, padded so that it also reads well in a terminal: the bench
 * prints its results this way so they can be pasted into the README as they are.
 *
 * Cells are text; a `|` inside a cell is escaped. The first column is left-aligned, the others
 * right-aligned (they hold numbers).
 *
 * @example
 * markdownTable(['case', 'ns/op'], [['send, 0 receivers', '1.20 ns']]);
 * // | case              |   ns/op |
 * // | :---------------- | ------: |
 * // | send, 0 receivers | 1.20 ns |
 */
export function markdownTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  if (!Array.isArray(headers) || headers.length === 0) {
    throw new TypeError('markdownTable(headers, rows): headers must be a non-empty array of column titles.');
  }
  rows.forEach((row, index) => {
    if (!Array.isArray(row) || row.length !== headers.length) {
      throw new TypeError(
        `markdownTable(headers, rows): row ${index} has ${Array.isArray(row) ? row.length : 'no'} cells but there are ` +
          `${headers.length} headers. Give every row one cell per header (use 'n/a' for a missing value).`,
      );
    }
  });
  const cells = [headers, ...rows].map((row) => row.map((cell) => String(cell).replaceAll('|', '\\|')));
  // The separator needs at least three dashes plus the alignment colon.
  const widths = headers.map((_, column) => Math.max(4, ...cells.map((row) => row[column].length)));
  const line = (row: readonly string[]): string =>
    `| ${row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join(' | ')} |`;
  const separator = `| ${widths.map((width, column) => (column === 0 ? `:${'-'.repeat(width - 1)}` : `${'-'.repeat(width - 1)}:`)).join(' | ')} |`;
  return [line(cells[0]), separator, ...cells.slice(1).map(line)].join('\n');
}
