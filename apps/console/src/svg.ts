/** Small charts as inline SVG, built node by node (no library, no markup strings). */
const NS = 'http://www.w3.org/2000/svg';
const W = 600;
const H = 160;
const PAD = 30;

function el<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number>,
  text?: string,
): SVGElementTagNameMap[K] {
  const node = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

const frame = (label: string) =>
  el('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': label, class: 'chart' });

/** A line over time: one point per minute; a null is a gap (no data that minute). */
export function lineChart(
  label: string,
  points: (number | null)[],
  firstAt: string,
  lastAt: string,
): SVGSVGElement {
  const svg = frame(label);
  const max = Math.max(1, ...points.map((p) => p ?? 0));
  const x = (i: number) => PAD + (i * (W - 2 * PAD)) / Math.max(1, points.length - 1);
  const y = (v: number) => H - PAD - (v * (H - 2 * PAD)) / max;
  svg.append(
    el('line', { x1: PAD, y1: H - PAD, x2: W - PAD, y2: H - PAD, class: 'axis' }),
    el('text', { x: 2, y: PAD - 8, class: 'tick' }, String(max)),
    el('text', { x: PAD, y: H - 8, class: 'tick' }, firstAt),
    el('text', { x: W - PAD, y: H - 8, class: 'tick', 'text-anchor': 'end' }, lastAt),
  );
  let run: [number, number][] = [];
  const flush = () => {
    // A minute with data between gaps is a line of one point, which draws nothing: it is a dot.
    if (run.length === 1) svg.append(el('circle', { cx: run[0][0], cy: run[0][1], r: 2.5, class: 'dot' }));
    else if (run.length)
      svg.append(el('polyline', { points: run.map((pt) => pt.join(',')).join(' '), class: 'series' }));
    run = [];
  };
  points.forEach((p, i) => (p === null ? flush() : run.push([+x(i).toFixed(1), +y(p).toFixed(1)])));
  flush();
  return svg;
}

/** Horizontal bars, one per label. */
export function barChart(label: string, bars: { label: string; value: number }[]): SVGSVGElement {
  const row = 22;
  const svg = el('svg', {
    viewBox: `0 0 ${W} ${bars.length * row + 10}`,
    role: 'img',
    'aria-label': label,
    class: 'chart',
  });
  const max = Math.max(1, ...bars.map((b) => b.value));
  bars.forEach((b, i) => {
    const width = ((W - 260) * b.value) / max;
    svg.append(
      el('text', { x: 0, y: i * row + 16, class: 'tick' }, b.label),
      el('rect', { x: 200, y: i * row + 4, width: Math.max(1, width), height: row - 8, class: 'bar' }),
      el('text', { x: 206 + width, y: i * row + 16, class: 'tick' }, String(b.value)),
    );
  });
  return svg;
}
