package io.raftwatch.collector.scrape;

import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns the private-key block of a PEM file into a {@link PrivateKey}: PKCS#8 ({@code BEGIN
 * PRIVATE KEY}, RSA or EC), PKCS#1 ({@code BEGIN RSA PRIVATE KEY}) and SEC 1 ({@code BEGIN EC
 * PRIVATE KEY}). The JDK only reads PKCS#8, so the other two are wrapped into a PKCS#8
 * PrivateKeyInfo here (RFC 5208 §5) rather than pulling in BouncyCastle. Stateless; used by
 * {@link ClientTls}.
 */
final class PrivateKeyDecoder {
  /** rsaEncryption, 1.2.840.113549.1.1.1, with its NULL parameters (RFC 8017 A.1). */
  private static final byte[] RSA_ALGORITHM =
      tlv(0x30, concat(hex("06092a864886f70d010101"), hex("0500")));
  /** id-ecPublicKey, 1.2.840.10045.2.1 (RFC 5480 §2.1.1). */
  private static final byte[] EC_PUBLIC_KEY_OID = hex("06072a8648ce3d0201");

  private PrivateKeyDecoder() {}

  static PrivateKey decode(PemFile file) throws TlsMaterialException {
    for (PemFile.Block block : file.blocks()) {
      switch (block.type()) {
        case "PRIVATE KEY":
          return pkcs8(file, block.der(), "RSA", "EC", "Ed25519");
        case "RSA PRIVATE KEY":
          return pkcs8(file, pkcs8Info(RSA_ALGORITHM, block.der()), "RSA");
        case "EC PRIVATE KEY":
          return pkcs8(file, wrapSec1(file, block.der()), "EC");
        case "ENCRYPTED PRIVATE KEY":
          throw new TlsMaterialException("key file " + file.path() + " is encrypted; raftwatch "
              + "needs an unencrypted key (openssl pkcs8 -topk8 -nocrypt)");
        default:
          // CERTIFICATE, EC PARAMETERS and others may share the file; keep looking.
      }
    }
    throw new TlsMaterialException("key file " + file.path() + " holds no private key block "
        + "(PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)");
  }

  private static PrivateKey pkcs8(PemFile file, byte[] info, String... algorithms)
      throws TlsMaterialException {
    for (String algorithm : algorithms) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(info));
      } catch (GeneralSecurityException e) {
        // Not this algorithm; try the next.
      }
    }
    throw new TlsMaterialException("key file " + file.path() + " holds a private key that cannot "
        + "be read as " + String.join(", ", algorithms));
  }

  /**
   * SEC 1 ECPrivateKey ::= SEQUENCE { version 1, privateKey OCTET STRING, parameters [0]
   * ECParameters OPTIONAL, publicKey [1] BIT STRING OPTIONAL }. PKCS#8 moves the named curve from
   * [0] into the AlgorithmIdentifier.
   */
  private static byte[] wrapSec1(PemFile file, byte[] sec1) throws TlsMaterialException {
    try {
      Der.Element seq = Der.read(sec1, 0);
      for (Der.Element child : seq.children()) {
        if (child.tag() == 0xA0) {
          byte[] curveOid = child.children().get(0).encoded();
          return pkcs8Info(tlv(0x30, concat(EC_PUBLIC_KEY_OID, curveOid)), sec1);
        }
      }
    } catch (IllegalArgumentException e) {
      throw new TlsMaterialException("key file " + file.path() + ": the EC PRIVATE KEY is not valid DER");
    }
    throw new TlsMaterialException("key file " + file.path() + ": the EC PRIVATE KEY does not name "
        + "its curve; convert it with openssl pkcs8 -topk8 -nocrypt");
  }

  /** PrivateKeyInfo ::= SEQUENCE { version 0, algorithm AlgorithmIdentifier, privateKey OCTET STRING }. */
  private static byte[] pkcs8Info(byte[] algorithm, byte[] privateKey) {
    return tlv(0x30, concat(hex("020100"), algorithm, tlv(0x04, privateKey)));
  }

  private static byte[] tlv(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
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

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  private static byte[] hex(String hex) {
    byte[] out = new byte[hex.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
    }
    return out;
  }

  /** Just enough of a DER reader to walk a SEC 1 key: tag, length, content, children. */
  private static final class Der {
    record Element(int tag, byte[] source, int start, int contentStart, int end) {
      byte[] encoded() {
        return Arrays.copyOfRange(source, start, end);
      }

      /** The elements inside a constructed element (bit 0x20 of the tag). */
      List<Element> children() {
        List<Element> out = new ArrayList<>();
        int at = contentStart;
        while (at < end) {
          Element e = read(source, at);
          out.add(e);
          at = e.end();
        }
        return out;
      }
    }

    static Element read(byte[] der, int at) {
      if (at + 2 > der.length) {
        throw new IllegalArgumentException("truncated");
      }
      int tag = der[at] & 0xFF;
      int len = der[at + 1] & 0xFF;
      int content = at + 2;
      if (len >= 0x80) {
        int bytes = len & 0x7F;
        if (bytes == 0 || bytes > 3 || content + bytes > der.length) {
          throw new IllegalArgumentException("bad length");
        }
        len = 0;
        for (int i = 0; i < bytes; i++) {
          len = (len << 8) | (der[content + i] & 0xFF);
        }
        content += bytes;
      }
      if (content + len > der.length) {
        throw new IllegalArgumentException("truncated");
      }
      return new Element(tag, der, at, content, content + len);
    }
  }
}
