import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Envelope encryption for bank account numbers: each value gets its own random data key
 * (AES-256-GCM), and the data key is itself sealed with the master key from config (in
 * production, KMS holds the master key and this wrap/unwrap becomes GenerateDataKey/Decrypt).
 * Layout: version(1) | wrapped key iv(12) tag(16) key(32) | value iv(12) tag(16) | ciphertext.
 */
export class EnvelopeCipher {
  private static readonly VERSION = 1;

  constructor(private readonly masterKey: Buffer) {
    if (masterKey.length !== 32) throw new Error('the master key must be 32 bytes');
  }

  seal(plaintext: string): Buffer {
    const dataKey = randomBytes(32);
    const wrapped = this.gcm(this.masterKey, dataKey);
    const value = this.gcm(dataKey, Buffer.from(plaintext, 'utf8'));
    return Buffer.concat([
      Buffer.from([EnvelopeCipher.VERSION]),
      wrapped.iv,
      wrapped.tag,
      wrapped.data,
      value.iv,
      value.tag,
      value.data,
    ]);
  }

  open(sealed: Buffer): string {
    if (sealed[0] !== EnvelopeCipher.VERSION) throw new Error('unknown envelope version');
    const at = (start: number, length: number) => sealed.subarray(start, start + length);
    const dataKey = this.ungcm(this.masterKey, at(1, 12), at(13, 16), at(29, 32));
    return this.ungcm(dataKey, at(61, 12), at(73, 16), sealed.subarray(89)).toString('utf8');
  }

  private gcm(key: Buffer, data: Buffer) {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const out = Buffer.concat([cipher.update(data), cipher.final()]);
    return { iv, tag: cipher.getAuthTag(), data: out };
  }

  private ungcm(key: Buffer, iv: Buffer, tag: Buffer, data: Buffer): Buffer {
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(data), decipher.final()]);
  }
}
