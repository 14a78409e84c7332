/**
 * CSV for the CLI's tabular outputs (`--csv`): one row per record, nested objects flattened into
 * dotted column names (`norm.mean`), columns in order of first appearance, arrays as JSON text.
 * Fields are quoted when they contain a comma, quote or line break (RFC 4180).
 */
export function toCsv(rows: readonly unknown[]): string {
  const flat = rows.map((r) => flatten(r));
  const columns: string[] = [];
  const seen = new Set<string>();
  for (const r of flat) {
    for (const k of r.keys()) {
      if (!seen.has(k)) {
        seen.add(k);
        columns.push(k);
      }
    }
  }
  const lines = [columns.map(quote).join(',')];
  for (const r of flat) lines.push(columns.map((c) => quote(r.get(c) ?? '')).join(','));
  return lines.join('\n') + '\n';
}

function flatten(value: unknown, prefix = '', out = new Map<string, string>()): Map<string, string> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
    return out;
  }
  const key = prefix || 'value';
  if (value === null || value === undefined) out.set(key, '');
  else if (typeof value === 'number') out.set(key, Number.isFinite(value) ? String(value) : String(value));
  else if (typeof value === 'string') out.set(key, value);
  else out.set(key, JSON.stringify(value));
  return out;
}

function quote(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
