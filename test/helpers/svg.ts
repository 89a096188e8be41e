// Reading the SVG that `simdnet train --plot` writes, strictly enough to catch a
// broken document: one XML declaration, a single <svg> root, every element closed in
// the order it was opened, quoted attributes, and only the five XML entities.

export interface SvgNode {
  tag: string;
  attributes: Record<string, string>;
  children: SvgNode[];
  /** The text directly inside this element, entities decoded. */
  text: string;
}

const ENTITY = /&(amp|lt|gt|quot|apos);/g;
const DECODED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(raw: string, where: string): string {
  if (/[<>]/.test(raw)) throw new Error(`unescaped < or > in ${where}`);
  const stray = raw.replace(ENTITY, '').indexOf('&');
  if (stray >= 0) throw new Error(`an & that starts no entity in ${where}`);
  return raw.replace(ENTITY, (_, name: string) => DECODED[name]);
}

/** The document's root element; throws with a reason when the text is not well-formed. */
export function readSvg(doc: string): SvgNode {
  const declaration = /^<\?xml version="1\.0" encoding="UTF-8"\?>\n/;
  if (!declaration.test(doc)) throw new Error('expected an XML declaration first');
  const tokens = doc.replace(declaration, '').split(/(<[^>]*>)/);
  const top: SvgNode = { tag: '', attributes: {}, children: [], text: '' };
  const open: SvgNode[] = [top];
  for (const token of tokens) {
    const current = open[open.length - 1];
    if (!token.startsWith('<')) {
      current.text += decode(token, `the text of <${current.tag}>`);
      continue;
    }
    const closing = /^<\/([\w-]+)>$/.exec(token);
    if (closing) {
      if (closing[1] !== current.tag) throw new Error(`</${closing[1]}> closes <${current.tag}>`);
      open.pop();
      continue;
    }
    const m = /^<([\w-]+)((?:\s+[\w:-]+="[^"]*")*)\s*(\/?)>$/.exec(token);
    if (!m) throw new Error(`malformed tag ${token.slice(0, 80)}`);
    const node: SvgNode = { tag: m[1], attributes: {}, children: [], text: '' };
    for (const [, name, value] of m[2].matchAll(/([\w:-]+)="([^"]*)"/g)) {
      if (Object.hasOwn(node.attributes, name)) throw new Error(`attribute ${name} twice on <${m[1]}>`);
      node.attributes[name] = decode(value, `attribute ${name} of <${m[1]}>`);
    }
    current.children.push(node);
    if (m[3] !== '/') open.push(node);
  }
  if (open.length !== 1) throw new Error(`<${open[open.length - 1].tag}> is never closed`);
  if (top.children.length !== 1 || top.children[0].tag !== 'svg' || top.text.trim() !== '') throw new Error('expected one <svg> root element and nothing else');
  return top.children[0];
}

/** Every element below (and including) `node`, in document order. */
export function descendants(node: SvgNode): SvgNode[] {
  return [node, ...node.children.flatMap(descendants)];
}

/** The charts: the innermost <svg> elements (the document itself when it is one chart). */
export function charts(root: SvgNode): SvgNode[] {
  return descendants(root).filter((n) => n.tag === 'svg' && descendants(n).slice(1).every((d) => d.tag !== 'svg'));
}

/** The names in each chart's legend, chart by chart. */
export function legends(root: SvgNode): string[][] {
  return charts(root).map((chart) => {
    const legend = descendants(chart).find((d) => d.attributes.class === 'legend');
    return legend ? descendants(legend).filter((d) => d.tag === 'text').map((t) => t.text) : [];
  });
}

/** The number of points drawn in each series path of a chart: "M x y L x y …" has one pair per point. */
export function seriesLengths(chart: SvgNode): number[] {
  return descendants(chart)
    .filter((n) => n.tag === 'path' && n.attributes.class === 'series')
    .map((p) => (p.attributes.d ?? '').match(/[ML]/g)?.length ?? 0);
}
