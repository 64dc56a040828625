/**
 * A small, strict XML reader for tests of junit.xml: elements, attributes, text, CDATA and the
 * predefined and numeric entities. It throws on anything not well-formed (a stray `<` or `&`,
 * mismatched tags, an unknown entity, a second root), which is what hostile input would cause.
 */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** Text and CDATA content, concatenated. */
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(raw: string, where: number, inAttribute = false): string {
  // "]]>" may stand in an attribute value, not in character data.
  if (inAttribute ? raw.includes('<') : /<|]]>/.test(raw)) throw new Error(`XML: "<" or "]]>" in character data near ${where}`);
  return raw.replace(/&([^;&\s]*);?/g, (whole, name: string) => {
    if (!whole.endsWith(';')) throw new Error(`XML: unterminated entity near ${where}`);
    if (name.startsWith('#x')) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(parseInt(name.slice(1), 10));
    const value = ENTITIES[name];
    if (value === undefined) throw new Error(`XML: unknown entity &${name}; near ${where}`);
    return value;
  });
}

export function parseXml(xml: string): XmlElement {
  let i = 0;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  const fail = (what: string): never => {
    throw new Error(`XML: ${what} at ${i}: ${JSON.stringify(xml.slice(i, i + 40))}`);
  };
  if (xml.startsWith('<?xml')) i = xml.indexOf('?>') + 2;
  while (i < xml.length) {
    const top = stack[stack.length - 1];
    if (xml.startsWith('<![CDATA[', i)) {
      const end = xml.indexOf(']]>', i);
      if (end < 0 || !top) fail('CDATA');
      if (top) top.text += xml.slice(i + 9, end);
      i = end + 3;
    } else if (xml.startsWith('</', i)) {
      const m = /^<\/([\w.:-]+)\s*>/.exec(xml.slice(i));
      if (!m || m[1] !== top?.name) fail(`closing tag, expected </${top?.name ?? ''}>`);
      stack.pop();
      i += m?.[0].length ?? 0;
    } else if (xml[i] === '<') {
      const m = /^<([\w.:-]+)((?:\s+[\w.:-]+="[^"]*")*)\s*(\/?)>/.exec(xml.slice(i));
      if (!m?.[1]) return fail('start tag');
      if (!top && root) fail('a second root element');
      const el: XmlElement = { name: m[1], attributes: {}, children: [], text: '' };
      for (const a of (m[2] ?? '').matchAll(/([\w.:-]+)="([^"]*)"/g)) {
        if (a[1] === undefined || a[1] in el.attributes) fail('duplicate attribute');
        el.attributes[a[1] ?? ''] = decode(a[2] ?? '', i, true);
      }
      if (top) top.children.push(el);
      else root = el;
      if (m[3] !== '/') stack.push(el);
      i += m[0].length;
    } else {
      const next = xml.indexOf('<', i);
      const raw = xml.slice(i, next < 0 ? xml.length : next);
      if (top) top.text += decode(raw, i);
      else if (raw.trim() !== '') fail('text outside the root element');
      i += raw.length;
    }
  }
  if (stack.length > 0 || !root) throw new Error(`XML: unclosed <${stack[stack.length - 1]?.name ?? 'root'}>`);
  return root;
}

/** Every descendant element named `name`, in document order. */
export function findAll(el: XmlElement, name: string): XmlElement[] {
  return el.children.flatMap((c) => [...(c.name === name ? [c] : []), ...findAll(c, name)]);
}
