/**
 * Text for a terminal from strings the command did not write: a proof file's tensor ids, an ONNX model's node names,
 * a key's output names reach error messages and reports. A terminal acts on control characters, so a carriage
 * return, a line feed or an escape sequence (erase the line, move the cursor, conceal what follows) in such a string
 * would let a file's author draw lines of their own, a fake "accepted" and fake outputs over a rejection included.
 * Every line the command prints as text therefore goes through {@link printable}; `--json` needs nothing, since
 * `JSON.stringify` escapes control characters itself.
 * @module
 */

/**
 * C0 controls (U+0000–U+001F, line feed and carriage return included), DEL and C1 controls (U+007F–U+009F), and the
 * bidirectional formatting characters (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069), which reorder what
 * follows them on the screen.
 */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const SHORT: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * `text` with every control character {@link UNPRINTABLE} matches written as an escape, as `JSON.stringify` writes it
 * (`\n`, `\r`, `\t`, else `\uXXXX`): one line whose characters all print as themselves.
 */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => SHORT[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
