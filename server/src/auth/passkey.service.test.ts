import { describe, expect, it } from 'vitest';
import { relyingParty } from './passkey.service.ts';

describe('relyingParty', () => {
  it('is VIGIE_PUBLIC_URL when set: its origin, and its host without port as rpID', () => {
    expect(relyingParty('https://vigie.example.com:8443/', 'http://10.0.0.5:3000')).toEqual({ origin: 'https://vigie.example.com:8443', rpID: 'vigie.example.com' });
  });

  it("else the request's own origin, default port dropped", () => {
    expect(relyingParty(undefined, 'http://localhost:80')).toEqual({ origin: 'http://localhost', rpID: 'localhost' });
    expect(relyingParty(undefined, 'https://desk.msp.test')).toEqual({ origin: 'https://desk.msp.test', rpID: 'desk.msp.test' });
  });
});
