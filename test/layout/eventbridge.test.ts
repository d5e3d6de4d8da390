import { describe, expect, it } from 'vitest';
import { eventBridgeSource, toEventBridge } from '../../src/layout/eventbridge.js';
import { Rng } from '../../src/shared/rng.js';

describe('eventBridgeSource', () => {
  it('is aws. and the service prefix of the event source', () => {
    expect(eventBridgeSource('devops-guru.amazonaws.com')).toBe('aws.devops-guru');
    expect(eventBridgeSource('s3.amazonaws.com')).toBe('aws.s3');
  });
});

describe('toEventBridge', () => {
  it('takes the source from the record, not from elsewhere in it', () => {
    const record = JSON.stringify({
      eventVersion: '1.08',
      userIdentity: { type: 'AWSService', invokedBy: 'cloudformation.amazonaws.com' },
      eventTime: '2026-11-01T00:00:05Z',
      eventSource: 'sns.amazonaws.com',
      requestParameters: { eventSource: 'devops-guru.amazonaws.com' },
    });
    const e = JSON.parse(
      toEventBridge(
        record,
        { account: '111122223333', region: 'eu-west-1', time: Date.UTC(2026, 10, 1, 0, 0, 5) },
        new Rng(1),
      ),
    ) as Record<string, unknown>;
    expect(e.source).toBe('aws.sns');
    expect(e.time).toBe('2026-11-01T00:00:05Z');
    expect(e.detail).toEqual(JSON.parse(record));
  });
});
