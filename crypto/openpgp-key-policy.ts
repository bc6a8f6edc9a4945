/** Which OpenPGP key algorithms Candor accepts: strong ones that GnuPG 2.2 can use. Checks that throw. */
import { CryptoError } from './errors';
import { MIN_RSA_BITS, type AlgorithmInfo } from './openpgp';

const ACCEPTED_CURVES = new Set(['curve25519Legacy', 'ed25519Legacy', 'nistP256', 'nistP384', 'nistP521']);
// RFC 9580's own X25519/Ed25519 algorithm ids on v4 keys: GnuPG 2.2 cannot use them.
const UNSUPPORTED_ALGORITHMS = new Set(['ed25519', 'x25519', 'ed448', 'x448']);
const RSA_ALGORITHMS = new Set(['rsaEncryptSign', 'rsaEncrypt', 'rsaSign']);

/** Throws a CryptoError naming the algorithm of the key's `role` (its primary key, its encryption key) when it is refused. */
export function checkAlgorithm(info: AlgorithmInfo, role: string): void {
  if (UNSUPPORTED_ALGORITHMS.has(info.algorithm)) {
    throw new CryptoError('key-unsupported-algorithm', `The ${role} algorithm ${describeAlgorithm(info)} cannot be read by GnuPG 2.2; use Curve25519 (legacy) or RSA.`);
  }
  const strong = RSA_ALGORITHMS.has(info.algorithm)
    ? (info.bits ?? 0) >= MIN_RSA_BITS
    : ['ecdh', 'ecdsa', 'eddsaLegacy'].includes(info.algorithm) && ACCEPTED_CURVES.has(info.curve ?? '');
  if (!strong) throw new CryptoError('key-weak', `The ${role} algorithm ${describeAlgorithm(info)} is too weak.`);
}

/** The algorithm as people name it, e.g. `ecdh/curve25519Legacy` or `rsaEncryptSign/4096`. */
export function describeAlgorithm(info: AlgorithmInfo): string {
  return [info.algorithm, info.curve, info.bits].filter((part) => part !== undefined).join('/');
}
