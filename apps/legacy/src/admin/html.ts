/** HTML text and attribute values: the five characters that could end a text node or a quoted attribute. */
const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Markup already built by `html` (never a raw value): only these pass through unescaped. */
export class SafeHtml {
  constructor(readonly markup: string) {}
}

function encode(value: unknown): string {
  if (value instanceof SafeHtml) return value.markup;
  if (Array.isArray(value)) return value.map(encode).join('');
  if (value === null || value === undefined) return '';
  return String(value).replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/**
 * The only way the old admin builds a page: every interpolated value is output-encoded, so a display
 * name such as `<script>` shows as text. Nested `html` fragments (and arrays of them) stay markup.
 */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  return new SafeHtml(
    strings.reduce((out, s, i) => out + s + (i < values.length ? encode(values[i]) : ''), ''),
  );
}
