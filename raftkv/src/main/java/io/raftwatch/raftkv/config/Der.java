package io.raftwatch.raftkv.config;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.Arrays;

/** The few DER encodings and lookups {@link PemFiles} needs to rewrap PKCS#1 and SEC1 keys. */
final class Der {
  private Der() {}

  static byte[] sequence(byte[]... parts) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      body.writeBytes(p);
    }
    return tagged(0x30, body.toByteArray());
  }

  static byte[] tagged(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int n = content.length;
    if (n < 0x80) {
      out.write(n);
    } else {
      int bytes = (32 - Integer.numberOfLeadingZeros(n) + 7) / 8;
      out.write(0x80 | bytes);
      for (int i = bytes - 1; i >= 0; i--) {
        out.write(n >>> (8 * i));
      }
    }
    out.writeBytes(content);
    return out.toByteArray();
  }

  /**
   * The named-curve OID (tag and all) inside a SEC1 ECPrivateKey: its {@code [0] parameters}. Walks
   * the outer SEQUENCE's elements: version, privateKey, [0] parameters, [1] publicKey.
   */
  static byte[] ecCurveOid(byte[] sec1, Path file, String flag) throws ConfigException {
    int[] outer = header(sec1, 0);
    for (int pos = outer[0]; pos < sec1.length; ) {
      int[] h = header(sec1, pos);
      if ((sec1[pos] & 0xFF) == 0xA0) {
        return Arrays.copyOfRange(sec1, h[0], h[0] + h[1]);
      }
      pos = h[0] + h[1];
    }
    throw new ConfigException(flag + ": " + file + " EC key names no curve");
  }

  /** Returns {content offset, content length} of the element starting at {@code pos}. */
  private static int[] header(byte[] der, int pos) throws ConfigException {
    if (pos + 2 > der.length) {
      throw new ConfigException("truncated DER key");
    }
    int len = der[pos + 1] & 0xFF;
    int off = pos + 2;
    if (len >= 0x80) {
      int bytes = len & 0x7F;
      len = 0;
      for (int i = 0; i < bytes; i++) {
        len = (len << 8) | (der[off++] & 0xFF);
      }
    }
    return new int[] {off, len};
  }
}
