import { afterEach, describe, expect, it } from 'vitest';
import {
  MemoryLimitError,
  allocateArray,
  ensureFits,
  formatBytes,
  memoryLimit,
  parseMemorySize,
  setMemoryLimit,
} from '../../src/memory/limit.js';

afterEach(() => setMemoryLimit(undefined));

describe('memory limit', () => {
  it('parses decimal and binary sizes', () => {
    expect(parseMemorySize('4G')).toBe(4e9);
    expect(parseMemorySize('512MiB')).toBe(512 * 1024 * 1024);
    expect(parseMemorySize('1.5gb')).toBe(1.5e9);
    expect(parseMemorySize('1000')).toBe(1000);
    expect(() => parseMemorySize('lots')).toThrow(/invalid memory size/);
    expect(() => parseMemorySize('0')).toThrow(/positive/);
  });

  it('refuses an allocation past the limit before making it, naming what and how much', () => {
    setMemoryLimit(process.memoryUsage.rss() + 10e6);
    expect(() => ensureFits(1e6, 'a small table')).not.toThrow();
    let err: unknown;
    try {
      allocateArray(Float64Array, 2 ** 28, 'a 2 GB table', 'use a smaller order');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(MemoryLimitError);
    expect((err as MemoryLimitError).message).toMatch(/a 2 GB table needs 2\.15 GB.*use a smaller order/);
    expect((err as MemoryLimitError).requestedBytes).toBe(2 ** 31);
    expect(memoryLimit()).toBeGreaterThan(0);
  });

  it('formats sizes with three significant figures', () => {
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(1234567)).toBe('1.23 MB');
  });
});
