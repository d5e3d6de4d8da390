import { describe, expect, it } from 'vitest';
import { generateRun, timeOf, type TrailRecord } from '../world/week-run.js';

const KEY_EXCHANGE_FROM = Date.parse('2025-06-01T00:00:00Z');

/** A day of records at an eventVersion and date. */
function day(eventVersion: string, start: string): TrailRecord[] {
  return generateRun({ seed: 11, start, events: 2500, eventVersion }).records;
}

const isConsole = (r: TrailRecord): boolean => r.userAgent.startsWith('aws-internal/3 ');
const isService = (r: TrailRecord): boolean => r.userIdentity.invokedBy !== undefined;

describe('fields by eventVersion and era', () => {
  it('1.05 records carry only the fields of 1.05', () => {
    const records = day('1.05', '2023-09-04T00:00:00Z');
    const problems: string[] = [];
    for (const r of records) {
      if (r.eventVersion !== '1.05') problems.push(`eventVersion ${r.eventVersion}`);
      for (const k of ['requestID', 'eventID', 'readOnly', 'eventType', 'recipientAccountId'])
        if (!(k in r)) problems.push(`${r.eventName}: no ${k}`);
      for (const k of [
        'managementEvent',
        'eventCategory',
        'tlsDetails',
        'sessionCredentialFromConsole',
        'vpcEndpointAccountId',
      ])
        if (k in r) problems.push(`${r.eventName}: ${k} at 1.05`);
    }
    expect(problems.slice(0, 10)).toEqual([]);
    expect(records.some((r) => 'vpcEndpointId' in r)).toBe(true);
  });

  it('1.08 records add managementEvent, eventCategory, tlsDetails for clients and the console flag', () => {
    const records = day('1.08', '2023-09-04T00:00:00Z');
    const problems: string[] = [];
    let tls = 0;
    for (const r of records) {
      const where = `${r.eventName} ${r.eventTime}`;
      if (r.managementEvent !== true || r.eventCategory !== 'Management') problems.push(`${where}: category`);
      if ('vpcEndpointAccountId' in r) problems.push(`${where}: vpcEndpointAccountId at 1.08`);
      if ('tlsDetails' in r !== (!isConsole(r) && !isService(r))) problems.push(`${where}: tlsDetails`);
      if ('sessionCredentialFromConsole' in r !== isConsole(r)) problems.push(`${where}: console flag`);
      if (r.tlsDetails) {
        tls++;
        // keyExchange is a 2025 addition: a 2023 record never has it.
        const keys = Object.keys(r.tlsDetails as object).sort();
        if (keys.join() !== 'cipherSuite,clientProvidedHostHeader,tlsVersion')
          problems.push(`${where}: ${keys.join()}`);
      }
    }
    expect(problems.slice(0, 10)).toEqual([]);
    expect(tls).toBeGreaterThan(500);
  });

  it('1.10 records add vpcEndpointAccountId exactly where there is a vpcEndpointId', () => {
    const records = day('1.10', '2026-11-02T00:00:00Z');
    let endpoints = 0;
    for (const r of records) {
      expect('vpcEndpointAccountId' in r).toBe('vpcEndpointId' in r);
      if ('vpcEndpointId' in r) {
        endpoints++;
        expect(r.vpcEndpointAccountId).toBe(r.recipientAccountId);
        expect(r.vpcEndpointId).toMatch(/^vpce-[0-9a-f]{17}$/);
        // Through an interface endpoint the caller's address is a private one.
        expect(r.sourceIPAddress).toMatch(/^10\./);
      }
    }
    expect(endpoints).toBeGreaterThan(0);
  });

  it('negotiate TLS as clients of the era do', () => {
    const then = day('1.08', '2023-03-06T00:00:00Z').filter((r) => r.tlsDetails);
    const now = day('1.08', '2026-11-02T00:00:00Z').filter((r) => r.tlsDetails);
    // Before AWS endpoints offered TLS 1.3, every client spoke 1.2.
    for (const r of then) {
      expect(r.tlsDetails).toMatchObject({
        tlsVersion: 'TLSv1.2',
        cipherSuite: 'ECDHE-RSA-AES128-GCM-SHA256',
      });
      expect(r.tlsDetails).not.toHaveProperty('keyExchange');
    }
    const versions = new Set(now.map((r) => (r.tlsDetails as { tlsVersion: string }).tlsVersion));
    expect(versions).toContain('TLSv1.3');
    for (const r of now) {
      expect(timeOf(r)).toBeGreaterThanOrEqual(KEY_EXCHANGE_FROM);
      const tls = r.tlsDetails as Record<string, string>;
      if (tls.tlsVersion === 'TLSv1.3') {
        expect(tls.cipherSuite).toBe('TLS_AES_128_GCM_SHA256');
        expect(['x25519', 'X25519MLKEM768']).toContain(tls.keyExchange);
      } else {
        expect(tls.keyExchange).toBe('secp256r1');
      }
    }
    expect(then.length).toBeGreaterThan(500);
  });
});
