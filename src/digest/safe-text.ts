/**
 * Feed text is written by strangers. Before any of it reaches a terminal, escape
 * sequences (CSI, OSC such as hyperlinks and clipboard writes, DCS...), control
 * characters (C0 but newline and tab, DEL, C1) and bidirectional overrides are removed.
 */
// eslint-disable-next-line no-control-regex
const ESCAPE_SEQUENCE = /\u001b(?:\[[0-?]*[ -/]*[@-~]?|\][\s\S]*?(?:\u0007|\u001b\\|$)|[PX^_][\s\S]*?(?:\u001b\\|$)|[@-Z\\-_]?)|\u009b[0-?]*[ -/]*[@-~]?|[\u0090\u009d\u0098\u009e\u009f][\s\S]*?(?:\u009c|\u0007|$)/g;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function toTerminalSafe(text: string): string {
  return text.replace(ESCAPE_SEQUENCE, '').replace(CONTROL, '');
}

/** One line: also folds newlines and tabs, for titles and sources. */
export function toTerminalLine(text: string): string {
  return toTerminalSafe(text).replace(/[\n\t\r]+/g, ' ');
}

/** Text for HTML element content or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return toTerminalSafe(text).replace(/[&<>"'`]/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** Only http(s) links leave a feed for a digest: no javascript:, data:, file: or relative tricks. */
export function safeHref(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
    // The URL parser lets a quote or a bracket through in a host (`http:"` is http://"/): no real link has one.
    return /["<>`\s\\]/.test(parsed.href) || !parsed.hostname ? null : parsed.href;
  } catch {
    return null;
  }
}

/**
 * Feed text inside Markdown: every character that could open a link, image,
 * emphasis, code span, table cell or raw HTML is backslash-escaped, and so is a
 * leading character that would start a heading, list or quote: a title stays a title.
 * Apostrophes, dots and dashes inside text stay readable.
 */
export function escapeMarkdown(text: string): string {
  return toTerminalLine(text)
    .replace(/[\\`*_[\]<>!|~&]/g, (ch) => `\\${ch}`)
    .replace(/^(\s*)([#+\-=>])/, '$1\\$2')
    .replace(/^(\s*\d+)([.)])/, '$1\\$2');
}

// eslint-disable-next-line no-control-regex
const JSON_RAW_UNSAFE = /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069]/g;

/**
 * JSON.stringify escapes C0 controls but leaves DEL, C1 controls (8-bit CSI,
 * OSC...), bidi overrides and line separators raw, and JSON digests do reach
 * terminals (`presswatch digest --format json | less -R`). Written as \uXXXX,
 * they parse back to the very same value. Valid on any JSON text, since these
 * characters can only occur inside its strings.
 */
export function escapeJsonControls(json: string): string {
  return json.replace(JSON_RAW_UNSAFE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

// Characters XML 1.0 cannot carry at all (they would make the file unreadable).
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Escapes text for an XML element (OPML, Atom) or a double-quoted attribute; line breaks and tabs
 * as references so attributes keep them. Here rather than beside the OPML parser: rendering a
 * digest (which loads every renderer, Atom's too) then loads no XML parser.
 */
export function escapeXml(text: string): string {
  return text.replace(NOT_XML, '').replace(/[&<>"'\n\r\t]/g, (ch) => XML_ESCAPES[ch]!);
}

const XML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\n': '&#10;',
  '\r': '&#13;',
  '\t': '&#9;',
};
