/**
 * JSON with every object's keys distinct. `JSON.parse` keeps the last of two equal keys and drops the first unread, and
 * other readers keep the first: a file that names a field twice (a proof's `statement`, a tensor id in its outputs)
 * says two things, and a reader that shows one while blockfold verifies the other would print what was not proven.
 * So the files blockfold reads are parsed as JSON first and then scanned for a key written twice in one object.
 * @module
 */

/** Why a JSON text was refused: `JSON.parse`'s syntax error, or the first key written twice, with its path. */
export class JsonKeyError extends Error {
  override readonly name = 'JsonKeyError';
}

/**
 * `JSON.parse(text)`, refusing a text in which some object names a key twice: a {@link JsonKeyError} naming the key and
 * where it is (`$.statement.outputs`). A leading byte-order mark, which some editors write and `readFile` keeps, is
 * read past. A syntax error is `JSON.parse`'s `SyntaxError`, unchanged.
 */
export function parseJsonUniqueKeys(file: string): unknown {
  const text = file.startsWith('\ufeff') ? file.slice(1) : file;
  const value: unknown = JSON.parse(text);
  // The text is valid JSON: a scan that tracks the open containers and the keys of each open object suffices.
  const open: { keys: Set<string> | null; path: string }[] = [];
  let key: string | undefined;
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const top = open[open.length - 1];
      if (expectKey && top?.keys) {
        key = JSON.parse(text.slice(i, j + 1)) as string;
        if (top.keys.has(key)) throw new JsonKeyError(`the key ${JSON.stringify(key)} is written twice in ${top.path}`);
        top.keys.add(key);
        expectKey = false;
      }
      i = j;
    } else if (c === '{' || c === '[') {
      const parent = open[open.length - 1];
      const path = parent === undefined ? '$' : parent.keys ? `${parent.path}.${key}` : `${parent.path}[]`;
      open.push({ keys: c === '{' ? new Set() : null, path });
      expectKey = c === '{';
    } else if (c === '}' || c === ']') {
      open.pop();
    } else if (c === ',') {
      expectKey = open[open.length - 1]?.keys != null;
    }
  }
  return value;
}
