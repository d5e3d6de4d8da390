import { describe, expect, it } from 'vitest';
import { countDenial, formatDenials, type DenialCounts } from '../../src/stats/denials.js';

const ROLE = 'arn:aws:iam::111122223333:role/ci-deployer';
const USER = 'arn:aws:iam::111122223333:user/jdoe';

describe('trailsim stats: denials by caller', () => {
  const counts: DenialCounts = {};
  const calls: [string, string, string | undefined][] = [
    [ROLE, 'ListInsights', 'AccessDeniedException'],
    [ROLE, 'ListInsights', 'AccessDeniedException'],
    [ROLE, 'ListInsights', undefined],
    [ROLE, 'DescribeInsight', undefined],
    [ROLE, 'ListInsights', 'ThrottlingException'],
    [USER, 'PutFeedback', 'AccessDeniedException'],
    [USER, 'UpdateServiceIntegration', 'AccessDeniedException'],
    [USER, 'ListInsights', undefined],
    ['arn:aws:iam::111122223333:user/never-denied', 'ListInsights', undefined],
  ];
  for (const [caller, action, code] of calls) countDenial(counts, caller, action, code);

  it('counts, per caller and action, the calls denied and those that succeeded', () => {
    expect(counts[ROLE]).toEqual({
      ListInsights: { denied: 2, allowed: 1 },
      DescribeInsight: { denied: 0, allowed: 1 },
    });
    expect(counts[USER]?.PutFeedback).toEqual({ denied: 1, allowed: 0 });
  });

  it('lists callers denied at least once, most denied first, with the actions and their successes', () => {
    const lines = formatDenials(counts);
    expect(lines[0]).toBe('Denials by caller (2)');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(
      /^ {2}arn:aws:iam::111122223333:role\/ci-deployer +2 denied, +1 allowed {2}ListInsights$/,
    );
    expect(lines[2]).toMatch(/user\/jdoe +2 denied, +0 allowed {2}PutFeedback, UpdateServiceIntegration$/);
  });
});
