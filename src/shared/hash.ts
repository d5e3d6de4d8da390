import { hash } from 'node:crypto';

/**
 * Hex SHA-256 of `data`: log files' and digests' hashes, manifest entries, upload and validate checks.
 *
 * @example sha256Hex(Buffer.from('')) // 'e3b0c442…b855'
 */
export function sha256Hex(data: Uint8Array): string {
  return hash('sha256', data, 'hex');
}
