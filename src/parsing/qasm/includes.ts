import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';

/**
 * Finds the file of an `include "name";`: relative to the including file's directory first, then
 * in each directory of the include path, in order. Returns the path (used in error positions and
 * for cycle detection) and the text, or null when no candidate is a readable file.
 */
/** Resolves an `include "name";` seen in `includingFile` to its path and text, or null when not found. */
export type IncludeReader = (name: string, includingFile: string) => { file: string; text: string } | null;

export function defaultIncludeReader(includePath: readonly string[]): IncludeReader {
  return (name, includingFile) => {
    // Input read from stdin (or a string) has no directory of its own: the working directory.
    const base = includingFile === '-' || includingFile.startsWith('<') ? '.' : dirname(includingFile);
    const candidates = isAbsolute(name) ? [name] : [resolve(base, name), ...includePath.map((d) => resolve(d, name))];
    for (const c of candidates) {
      try {
        if (!statSync(c).isFile()) continue;
        return { file: displayPath(c), text: readFileSync(c, 'utf8') };
      } catch {
        continue;
      }
    }
    return null;
  };
}

/** Relative to the working directory when inside it, so messages stay short. */
function displayPath(abs: string): string {
  const cwd = process.cwd();
  return abs.startsWith(cwd + '/') ? abs.slice(cwd.length + 1) : abs;
}
