import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { lockDirectory } from './lock.js';

/**
 * Experiment records as JSON lines, appended one by one as they are computed, so an interrupted
 * run keeps everything finished so far. With `resume`, records already in the file are loaded and
 * their keys skipped; a final line cut off mid-write and duplicate records are dropped, and the
 * file is rewritten compacted.
 */
export interface KeyedRecord {
  readonly key: string;
}

export class RecordStore<R extends KeyedRecord> {
  private readonly records: R[] = [];
  private readonly keys = new Set<string>();

  constructor(readonly file: string, resume: boolean) {
    // One run per output directory (lock.ts), held until the process exits.
    lockDirectory(dirname(file));
    if (resume && existsSync(file)) {
      const lines = readFileSync(file, 'utf8').split('\n');
      let dropped = false;
      for (const line of lines) {
        if (line.trim() === '') continue;
        let rec: R;
        try {
          rec = JSON.parse(line) as R;
        } catch {
          dropped = true;
          continue;
        }
        if (typeof rec?.key !== 'string' || this.keys.has(rec.key)) {
          dropped = true; // a duplicate (or keyless) line: compacted away below
          continue;
        }
        this.keys.add(rec.key);
        this.records.push(rec);
      }
      if (dropped) this.rewrite();
    } else {
      writeFileSync(file, '');
    }
  }

  has(key: string): boolean {
    return this.keys.has(key);
  }

  append(record: R): void {
    if (this.keys.has(record.key)) throw new Error(`duplicate experiment record '${record.key}'`);
    appendFileSync(this.file, JSON.stringify(record) + '\n');
    this.keys.add(record.key);
    this.records.push(record);
  }

  all(): readonly R[] {
    return this.records;
  }

  get size(): number {
    return this.records.length;
  }

  private rewrite(): void {
    writeFileSync(this.file, this.records.map((r) => JSON.stringify(r) + '\n').join(''));
  }
}

export { seedFor } from '../random/seeds.js';
