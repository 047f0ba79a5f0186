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
