import { describe, expect, it } from 'vitest';
import { parseRegions, resolveScenario } from '../../src/scenario/scenario.js';

describe('--regions', () => {
  it('is a set: the order and repeats of the list do not change the scenario', () => {
    const a = resolveScenario({ seed: 3, events: 40, regions: 'us-east-1,eu-west-1,ap-south-1' });
    const b = resolveScenario({ seed: 3, events: 40, regions: 'ap-south-1, eu-west-1,us-east-1,eu-west-1' });
    const c = resolveScenario({ seed: 3, events: 40, regions: ['eu-west-1', 'ap-south-1', 'us-east-1'] });
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    expect(a.regions).toHaveLength(3);
  });

  it.each([
    ['us-east-1,,eu-west-1', /--regions: item 2 of "us-east-1,,eu-west-1" is empty/],
    ['us-east-1,', /--regions: item 2 of "us-east-1," is empty/],
    [',eu-west-1', /--regions: item 1 of ",eu-west-1" is empty/],
  ])('refuses an empty item: %s', (value, message) => {
    expect(() => parseRegions(value, '--regions')).toThrow(message);
  });
});
