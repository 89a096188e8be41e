// Building SVG markup as strings. Every piece of text a caller gives goes through
// escapeXml, so a title like `a < b & "c"` cannot break the document.

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/** A coordinate or length with at most two decimals: enough for the screen, short in the file. */
export function px(v: number): string {
  const r = Math.round(v * 100) / 100;
  return String(Object.is(r, -0) ? 0 : r);
}

export type Attributes = Record<string, string | number | undefined>;

function attributes(attrs: Attributes): string {
  let out = '';
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined) continue;
    out += ` ${name}="${escapeXml(typeof value === 'number' ? px(value) : value)}"`;
  }
  return out;
}

/** An element around children that are already markup; self-closing when there are none. */
export function element(name: string, attrs: Attributes, children: readonly string[] = [], separator = ''): string {
  if (children.length === 0) return `<${name}${attributes(attrs)}/>`;
  return `<${name}${attributes(attrs)}>${separator}${children.join(separator)}${separator}</${name}>`;
}

/** An element holding plain text. */
export function textElement(name: string, attrs: Attributes, text: string): string {
  return `<${name}${attributes(attrs)}>${escapeXml(text)}</${name}>`;
}
