import { describe, expect, it } from 'vitest';
import {
  authorizedClientLine,
  clientAuthPrivateLine,
  fromBase32,
  generateOnionClientAuthKey,
  onionClientAuthKeyFromPrivateKey,
  parseOnionAddress,
  toBase32,
  utf8Encode,
} from '../../../crypto/index';
import { errorCodeOf } from '../../helpers/crypto';

// RFC 4648 §10, with the padding removed (tor writes none).
const RFC4648_VECTORS: readonly [string, string][] = [
  ['', ''],
  ['f', 'MY'],
  ['fo', 'MZXQ'],
  ['foo', 'MZXW6'],
  ['foob', 'MZXW6YQ'],
  ['fooba', 'MZXW6YTB'],
  ['foobar', 'MZXW6YTBOI'],
];

// RFC 7748 §6.1, Alice's key pair; the base32 forms were computed independently (Python's base64.b32encode).
const ALICE_PRIVATE = Buffer.from('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a', 'hex');
const ALICE_PUBLIC = Buffer.from('8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a', 'hex');
const ALICE_PRIVATE_BASE32 = 'O4DW2CTTDCSX2PAWYFZFDMTGIXPUYL4H5PAJSKVRO752KHNZFQVA';
const ALICE_PUBLIC_BASE32 = 'QUQPACMJGCTVI5ELPXOLIPXXLIG36OQNEY4BV5HLUSUY5KU3JZVA';

// Published v3 addresses (the Tor Project's and DuckDuckGo's), valid checksums by construction.
const TOR_PROJECT_ONION = '2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid';
const DUCKDUCKGO_ONION = 'duckduckgogg42xjoc72x3sjasowoarfbgcmvfimaftt6twagswzczad';

describe('base32 (RFC 4648, unpadded)', () => {
  it.each(RFC4648_VECTORS)('when %j is encoded, then it is the RFC test vector %j, and decodes back', (text, encoded) => {
    expect(toBase32(utf8Encode(text))).toBe(encoded);
    expect(Buffer.from(fromBase32(encoded)).toString('utf8')).toBe(text);
  });

  it('when random byte strings of every length up to 40 are encoded, then each decodes back to itself', () => {
    for (let length = 0; length <= 40; length++) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 151 + length * 17) & 0xff);
      expect(fromBase32(toBase32(bytes))).toEqual(bytes);
    }
  });

  it.each([
    ['a character outside the alphabet', 'MZXW1'],
    ['lower case', 'mzxw6'],
    ['padding', 'MY======'],
    ['an impossible length', 'MZX'],
    ['non-zero leftover bits (a second spelling of "f")', 'MZ'],
  ])('when the text has %s, then decoding fails with encoding-invalid', (_case, text) => {
    expect(errorCodeOf(() => fromBase32(text))).toBe('encoding-invalid');
  });
});

describe('onion service client authorization keys', () => {
  it('when a key pair is generated, then its public key is the one its private key derives', () => {
    const key = generateOnionClientAuthKey();
    expect(key.privateKey).toHaveLength(32);
    expect(onionClientAuthKeyFromPrivateKey(key.privateKey).publicKey).toEqual(key.publicKey);
    expect(generateOnionClientAuthKey().privateKey).not.toEqual(key.privateKey);
  });

  it("when built from RFC 7748's test private key, then the public key and both file lines are the known answers", () => {
    const key = onionClientAuthKeyFromPrivateKey(ALICE_PRIVATE);
    expect(Buffer.from(key.publicKey)).toEqual(ALICE_PUBLIC);
    expect(authorizedClientLine(key)).toBe(`descriptor:x25519:${ALICE_PUBLIC_BASE32}`);
    expect(clientAuthPrivateLine(parseOnionAddress(TOR_PROJECT_ONION), key)).toBe(`${TOR_PROJECT_ONION}:descriptor:x25519:${ALICE_PRIVATE_BASE32}`);
  });

  it('when the private key is not 32 bytes, then it is refused', () => {
    expect(errorCodeOf(() => onionClientAuthKeyFromPrivateKey(new Uint8Array(31)))).toBe('key-invalid');
  });
});

describe('onion addresses', () => {
  it.each([
    [TOR_PROJECT_ONION, TOR_PROJECT_ONION],
    [`${DUCKDUCKGO_ONION}.onion`, DUCKDUCKGO_ONION],
    [`  ${TOR_PROJECT_ONION.toUpperCase()}.ONION\n`, TOR_PROJECT_ONION],
  ])('when %j is given, then it parses to the bare lower-case address', (text, address) => {
    expect(parseOnionAddress(text)).toBe(address);
  });

  it.each([
    ['one character mistyped', `${TOR_PROJECT_ONION.slice(0, 10)}${TOR_PROJECT_ONION[10] === 'a' ? 'b' : 'a'}${TOR_PROJECT_ONION.slice(11)}`],
    ['a v2 address', 'expyuzz4wqqyqhjn'],
    ['a character outside base32', `${TOR_PROJECT_ONION.slice(0, 55)}1`],
    ['version 2 in the last byte', toBase32(Uint8Array.of(...fromBase32(TOR_PROJECT_ONION.toUpperCase()).subarray(0, 34), 2)).toLowerCase()],
  ])('when the address has %s, then it is refused', (_case, text) => {
    expect(errorCodeOf(() => parseOnionAddress(text))).toBe('encoding-invalid');
  });
});
