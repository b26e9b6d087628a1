/** Anything a node can hold: text is always set as text (never parsed as HTML). */
export type Child = Node | string | number | null | undefined | false;

type Props<E> = Partial<Omit<E, 'style' | 'innerHTML' | 'outerHTML'>> & { data?: Record<string, string> };

/**
 * Builds an element from properties and children. Strings become text nodes, so a display name
 * like `<script>` shows as those characters; there is no way to pass HTML.
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props<HTMLElementTagNameMap[K]> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const { data, ...rest } = props;
  const el = Object.assign(document.createElement(tag), rest);
  for (const [k, v] of Object.entries(data ?? {})) el.dataset[k] = v;
  el.append(...nodes(children));
  return el;
}

export function nodes(children: Child[]): Node[] {
  return children
    .filter((c): c is Node | string | number => c !== null && c !== undefined && c !== false)
    .map((c) => (c instanceof Node ? c : document.createTextNode(String(c))));
}

/** Replaces what `el` shows. */
export function show(el: Element, ...children: Child[]): void {
  el.replaceChildren(...nodes(children));
}

/** A table from rows of cells; the header cells are i18n'd by the caller. */
export function table(headers: string[], rows: Child[][], testid?: string): HTMLTableElement {
  return h(
    'table',
    testid ? { data: { testid } } : {},
    h('thead', {}, h('tr', {}, ...headers.map((x) => h('th', {}, x)))),
    h('tbody', {}, ...rows.map((cells) => h('tr', {}, ...cells.map((c) => h('td', {}, c))))),
  );
}

/** A labelled field. */
export function field(label: string, input: HTMLElement): HTMLLabelElement {
  return h('label', { className: 'field' }, h('span', {}, label), input);
}
