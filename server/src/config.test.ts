import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

describe('VIGIE_TRUST_PROXY', () => {
  const trustProxy = (value?: string) => loadConfig(value === undefined ? {} : { VIGIE_TRUST_PROXY: value }, []).trustProxy;

  it.each([
    [undefined, false],
    ['false', false],
    ['0', false],
    ['true', 1],
    ['TRUE', 1],
    ['2', 2],
    ['10.0.0.0/8', ['10.0.0.0/8']],
    [' 10.0.0.0/8 , 192.168.1.4,fd00::/8 ', ['10.0.0.0/8', '192.168.1.4', 'fd00::/8']],
    ['loopback, uniquelocal', ['loopback', 'uniquelocal']],
  ])('%j → %j', (value, expected) => {
    expect(trustProxy(value)).toEqual(expected);
  });

  it.each(['yes', '11', '10.0.0.0/33', '10.0.0/8', 'fd00::/129', 'proxy.example.com', ',', '10.0.0.1/8/2'])('refuses %j, naming the variable and what it expects', (value) => {
    expect(() => trustProxy(value)).toThrow(/VIGIE_TRUST_PROXY: Expected true, false, a number of proxies/);
  });
});
