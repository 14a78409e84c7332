import { describe, expect, it } from 'vitest';
import { frontierExperiment } from '../../src/experiments/frontier.js';

/**
 * Experiment 7 (frontier) on one small case: its payload validates, the record depends only on
 * it, light-cone σ* and r* are never below the a-priori ones (the light-cone bound is ≤ the a-priori
 * bound on every region), and every measured bound/|true error| ratio is ≥ 1 (a ratio below 1
 * would be a violated bound).
 */
describe('experiment frontier', () => {
  it('one case: certified σ* and r* ordered by bound kind, ratios ≥ 1', () => {
    const plan = frontierExperiment.plan({ quick: true });
    expect(plan.length).toBe(3 * 3 * 2 * 2);
    const task = plan.find((t) => t.key === 'mhea/local/N4/m2')!;
    const payload = frontierExperiment.payload.parse(JSON.parse(JSON.stringify(task.payload)));
    const r = frontierExperiment.compute(payload, task.key);
    expect(r.error).toBeUndefined();
    for (const w of ['sigmaStar', 'radiusStar'] as const) {
      const v = r[w]!;
      expect(v.apriori).not.toBeNull();
      expect(v['light-cone']!).toBeGreaterThanOrEqual(v.apriori! * (1 - 1e-9));
    }
    expect(r.ratios!.length).toBeGreaterThan(0);
    for (const x of r.ratios!) expect(x.median).toBeGreaterThanOrEqual(1);
    expect(frontierExperiment.compute(payload, task.key).sigmaStar).toEqual(r.sigmaStar);
  });
});
