import { describe, expect, it } from 'vitest';
import { formatClaim, parseClaim } from '../../src/check/claim.js';
import { UserError } from '../../src/ir/errors.js';

describe('claim parsing', () => {
  it('Taylor claims, with the kind word implied by order=', () => {
    const c = parseClaim('order=8 eps=1e-6 sigma=1/D');
    expect(c).toMatchObject({ kind: 'taylor', order: 8, eps: 1e-6, region: { kind: 'sigma', text: '1/D', tail: 1e-6 }, center: null });
    expect(parseClaim('taylor m=3, ε=0.01, radius=D^-0.5')).toMatchObject({ kind: 'taylor', order: 3, eps: 0.01, region: { kind: 'radius', text: 'D^-0.5' } });
    expect(parseClaim('order=2 eps=1e-3 sigma=0.1 tail=0.01 center=random-clifford:4')).toMatchObject({
      region: { kind: 'sigma', tail: 0.01 }, center: 'random-clifford:4',
    });
  });

  it('propagation claims, default region everywhere', () => {
    const c = parseClaim('propagate max-weight=4 min-abs=1e-8 eps=1e-3');
    expect(c).toMatchObject({ kind: 'propagate', truncation: { maxWeight: 4, minAbs: 1e-8 }, region: { kind: 'radius', text: 'pi' } });
    expect(parseClaim('max_weight=2 eps=0.1 l1=3')).toMatchObject({ kind: 'propagate', truncation: { maxWeight: 2 }, region: { kind: 'l1' } });
    expect(parseClaim('propagate max-sins=3 max-freq=9 eps=1')).toMatchObject({ truncation: { maxSins: 3, maxFreq: 9 } });
  });

  it('path-surrogate claims', () => {
    expect(parseClaim('paths max-sins=5 eps=1e-4 radius=0.05')).toMatchObject({ kind: 'paths', maxSins: 5 });
  });

  it('round-trips through formatClaim', () => {
    for (const t of ['taylor order=8 eps=0.000001 sigma=1/D', 'paths max-sins=5 eps=0.0001 radius=0.05', 'propagate max-weight=4 min-abs=1e-8 eps=0.001 l1=2 center=zero']) {
      expect(formatClaim(parseClaim(formatClaim(parseClaim(t))))).toBe(formatClaim(parseClaim(t)));
      expect(parseClaim(formatClaim(parseClaim(t)))).toMatchObject({ ...parseClaim(t), text: expect.any(String) });
    }
  });

  const bad: [string, RegExp][] = [
    ['', /empty claim/],
    ['eps=1e-6 sigma=0.1', /say what is claimed/],
    ['order=8 sigma=0.1', /missing eps/],
    ['order=8 eps=1e-6', /missing region/],
    ['order=-1 eps=1e-6 sigma=0.1', /column 7: order must be an integer/],
    ['order=2.5 eps=1e-6 sigma=0.1', /order must be an integer/],
    ['order=300 eps=1e-6 sigma=0.1', /at most 255/],
    ['order=2 eps=0 sigma=0.1', /eps must be a positive number/],
    ['order=2 eps=abc sigma=0.1', /column 13: eps must be/],
    ['order=2 eps=1 sigma=0.1 radius=2', /one region/],
    ['order=2 eps=1 radius=0.1 tail=0.1', /tail= applies to sigma/],
    ['order=2 eps=1 sigma=D^x', /column/],
    ['order=2 eps=1 sigma=0.1 max-weight=3', /'max-weight'.*does not apply to a taylor claim/],
    ['order=2 eps=1 sigma=0.1 order=3', /given twice/],
    ['order=2 eps=1 sigma=0.1 colour=red', /unknown key 'colour'/],
    ['order=2 eps=1 sigma=0.1 center=file.json', /`center`/],
    ['taylor 8 eps=1', /expected key=value/],
    ['paths eps=1 radius=0.1', /missing max-sins/],
  ];
  for (const [text, pattern] of bad) {
    it(`rejects '${text}'`, () => {
      expect(() => parseClaim(text)).toThrow(UserError);
      expect(() => parseClaim(text)).toThrow(pattern);
    });
  }
});
