/** Branded string types: values that are strings on the wire but must never be mixed up. */

declare const brand: unique symbol;
/** Brands stack (a CaseId is also Hex): each name is a key of its own, so two never collide into `never`. */
export type Brand<T, Name extends string> = T & { readonly [brand]: { readonly [K in Name]: true } };

/** Unpadded base64url text (RFC 4648 §5). */
export type Base64Url = Brand<string, 'Base64Url'>;
/** Lower-case hexadecimal text. */
export type Hex = Brand<string, 'Hex'>;
/** A canonical case token: 28 Crockford base32 characters in groups of four, e.g. `K7QF-9XWD-…`. */
export type CaseToken = Brand<string, 'CaseToken'>;
/** The server's lookup identifier of a case: 32 bytes derived from the token, as hex. */
export type CaseId = Brand<Hex, 'CaseId'>;
/** An ASCII-armored OpenPGP public key. */
export type ArmoredPublicKey = Brand<string, 'ArmoredPublicKey'>;
/** An ASCII-armored OpenPGP private key, normally passphrase-locked. */
export type ArmoredPrivateKey = Brand<string, 'ArmoredPrivateKey'>;
/** An OpenPGP v4 fingerprint as 40 lower-case hex characters. */
export type Fingerprint = Brand<Hex, 'Fingerprint'>;
