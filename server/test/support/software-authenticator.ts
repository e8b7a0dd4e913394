import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { isoCBOR } from '@simplewebauthn/server/helpers';

/**
 * A software WebAuthn authenticator for tests: one ES256 credential (a P-256 key pair made with node:crypto) that
 * answers registration options with a "none" attestation and authentication options with a real signature over
 * authenticatorData || SHA-256(clientDataJSON), as a browser would hand them to the server (JSON, base64url).
 */
export class SoftwareAuthenticator {
  readonly credentialId = randomBytes(16);
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;
  counter = 0;

  constructor(readonly origin: string) {
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.privateKey = pair.privateKey;
    this.publicKey = pair.publicKey;
  }

  get id(): string {
    return b64u(this.credentialId);
  }

  /** The answer to `navigator.credentials.create(options)`; `rpID`/`origin` may be overridden to play another site. */
  register(options: { challenge: string; rp: { id?: string } }, over: { origin?: string; rpID?: string } = {}) {
    const rpID = over.rpID ?? options.rp.id ?? new URL(this.origin).hostname;
    const clientDataJSON = clientData('webauthn.create', options.challenge, over.origin ?? this.origin);
    const jwk = this.publicKey.export({ format: 'jwk' });
    const cosePublicKey = isoCBOR.encode(
      new Map<number, number | Uint8Array>([
        [1, 2], // kty: EC2
        [3, -7], // alg: ES256
        [-1, 1], // crv: P-256
        [-2, Buffer.from(jwk.x!, 'base64url')],
        [-3, Buffer.from(jwk.y!, 'base64url')],
      ]),
    );
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(this.credentialId.length);
    const authData = Buffer.concat([authDataHead(rpID, 0x45, this.counter), Buffer.alloc(16), idLength, this.credentialId, Buffer.from(cosePublicKey)]);
    const attestationObject = isoCBOR.encode(
      new Map<string, string | Uint8Array | Map<string, string>>([
        ['fmt', 'none'],
        ['attStmt', new Map<string, string>()],
        ['authData', authData],
      ]),
    );
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key' as const,
      response: { clientDataJSON: b64u(clientDataJSON), attestationObject: b64u(Buffer.from(attestationObject)), transports: ['internal'] },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }

  /**
   * The answer to `navigator.credentials.get(options)`, signed with the next counter value (or `over.counter`, to
   * replay an old one); `origin`/`rpID` may be overridden to play another site.
   */
  authenticate(options: { challenge: string; rpId?: string }, over: { origin?: string; rpID?: string; counter?: number } = {}) {
    const counter = over.counter ?? ++this.counter;
    const rpID = over.rpID ?? options.rpId ?? new URL(this.origin).hostname;
    const clientDataJSON = clientData('webauthn.get', options.challenge, over.origin ?? this.origin);
    const authenticatorData = authDataHead(rpID, 0x05, counter);
    const signature = sign('sha256', Buffer.concat([authenticatorData, createHash('sha256').update(clientDataJSON).digest()]), this.privateKey);
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key' as const,
      response: { clientDataJSON: b64u(clientDataJSON), authenticatorData: b64u(authenticatorData), signature: b64u(signature) },
      clientExtensionResults: {},
    };
  }
}

/** rpIdHash (32) | flags (1: UP 0x01, UV 0x04, AT 0x40) | signCount (4, big-endian). */
function authDataHead(rpID: string, flags: number, counter: number): Buffer {
  const count = Buffer.alloc(4);
  count.writeUInt32BE(counter);
  return Buffer.concat([createHash('sha256').update(rpID).digest(), Buffer.from([flags]), count]);
}

function clientData(type: string, challenge: string, origin: string): Buffer {
  return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
}

function b64u(bytes: Buffer): string {
  return bytes.toString('base64url');
}
