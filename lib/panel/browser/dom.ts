const SVG_NS = 'http://www.w3.org/2000/svg';

/** Attribute values: written with `setAttribute`, never as HTML. */
export type Attributes = Readonly<Record<string, string | number>>;

/**
 * The element with this id; a page without it is a broken page, so this throws.
 *
 * @example
 * byId('status').textContent = 'live';
 */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`signals panel: the page has no #${id}`);
  return element as T;
}

/** The SVG element with this id. */
export function svgById(id: string): SVGSVGElement {
  return byId(id) as unknown as SVGSVGElement;
}

/**
 * An SVG element with attributes and optional text (inserted as text).
 *
 * @example
 * root.appendChild(svg('circle', { cx: 10, cy: 10, r: 6 }));
 */
export function svg(tag: string, attributes: Attributes, text?: string): SVGElement {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

/**
 * An HTML element with a class, optional text (inserted as text) and attributes.
 *
 * @example
 * row.appendChild(html('td', 'num', '12 ms'));
 */
export function html<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className = '',
  text?: string,
  attributes: Attributes = {},
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  return node;
}

/** Removes every child of `node`. */
export function clear(node: Node): void {
  while (node.firstChild) node.removeChild(node.firstChild);
}

/**
 * Fills a table body with one row per item, or one muted row saying `empty`.
 *
 * @example
 * fillRows(tbody, rows, 6, 'No receivers ran yet.', (row) => [...]);
 */
export function fillRows<T>(
  body: HTMLTableSectionElement,
  items: readonly T[],
  columns: number,
  empty: string,
  row: (item: T) => HTMLTableRowElement,
): void {
  clear(body);
  if (items.length === 0) {
    body.appendChild(html('tr', 'empty')).appendChild(html('td', 'muted', empty, { colspan: columns }));
    return;
  }
  for (const item of items) body.appendChild(row(item));
}

/**
 * A table row of text cells; a cell given as `[text, className]` gets a class (e.g. `num`).
 *
 * @example
 * tableRow([receiver.signal, receiver.receiver, [formatMs(receiver.p95Ms), 'num']], 'slow');
 */
export function tableRow(
  cells: ReadonlyArray<string | readonly [string, string]>,
  className = '',
): HTMLTableRowElement {
  const row = html('tr', className);
  for (const cell of cells) {
    if (typeof cell === 'string') row.appendChild(html('td', '', cell));
    else row.appendChild(html('td', cell[1], cell[0]));
  }
  return row;
}
