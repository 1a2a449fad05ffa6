package io.raftwatch.raftkv.config;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads PEM certificates and private keys with the JDK alone: PKCS#8 ({@code PRIVATE KEY}), PKCS#1
 * ({@code RSA PRIVATE KEY}) and SEC1 ({@code EC PRIVATE KEY}) keys, the last two rewrapped as
 * PKCS#8. Errors name the file and the flag it came from, never the key's content.
 */
final class PemFiles {
  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]*)-----END \\1-----");
  private static final byte[] RSA_ALGORITHM = {
    0x30,
    0x0D,
    0x06,
    0x09,
    0x2A,
    (byte) 0x86,
    0x48,
    (byte) 0x86,
    (byte) 0xF7,
    0x0D,
    0x01,
    0x01,
    0x01,
    0x05,
    0x00
  };
  private static final byte[] EC_PUBLIC_KEY_OID = {
    0x06, 0x07, 0x2A, (byte) 0x86, 0x48, (byte) 0xCE, 0x3D, 0x02, 0x01
  };

  private PemFiles() {}

  static List<X509Certificate> certificates(Path file, String flag) throws ConfigException {
    String pem = read(file, flag);
    if (!pem.contains("-----BEGIN CERTIFICATE-----")) {
      throw new ConfigException(flag + ": " + file + " holds no PEM certificate");
    }
    try {
      List<X509Certificate> certs =
          CertificateFactory.getInstance("X.509")
              .generateCertificates(
                  new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))
              .stream()
              .map(c -> (X509Certificate) c)
              .toList();
      if (certs.isEmpty()) {
        throw new ConfigException(flag + ": " + file + " holds no PEM certificate");
      }
      return certs;
    } catch (CertificateException e) {
      throw new ConfigException(flag + ": " + file + " is not a PEM certificate file");
    }
  }

  static PrivateKey privateKey(Path file, String flag) throws ConfigException {
    Matcher m = BLOCK.matcher(read(file, flag));
    while (m.find()) {
      String type = m.group(1);
      if (!type.endsWith("PRIVATE KEY")) {
        continue;
      }
      byte[] der = Base64.getMimeDecoder().decode(m.group(2));
      return switch (type) {
        case "PRIVATE KEY" -> pkcs8(der, file, flag);
        case "RSA PRIVATE KEY" -> pkcs8(wrap(RSA_ALGORITHM, der), file, flag);
        case "EC PRIVATE KEY" ->
            pkcs8(
                wrap(Der.sequence(EC_PUBLIC_KEY_OID, Der.ecCurveOid(der, file, flag)), der),
                file,
                flag);
        default ->
            throw new ConfigException(
                flag + ": " + file + " holds an " + type + "; only unencrypted keys are supported");
      };
    }
    throw new ConfigException(flag + ": " + file + " holds no PEM private key");
  }

  private static PrivateKey pkcs8(byte[] der, Path file, String flag) throws ConfigException {
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
    for (String algorithm : new String[] {"RSA", "EC", "Ed25519"}) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (GeneralSecurityException e) {
        // try the next algorithm: PKCS#8 names it inside, but KeyFactory wants it up front
      }
    }
    throw new ConfigException(flag + ": " + file + " holds a key that is not RSA, EC or Ed25519");
  }

  /** PrivateKeyInfo ::= SEQUENCE { version 0, algorithm, OCTET STRING privateKey }. */
  private static byte[] wrap(byte[] algorithm, byte[] key) {
    return Der.sequence(new byte[] {0x02, 0x01, 0x00}, algorithm, Der.tagged(0x04, key));
  }

  private static String read(Path file, String flag) throws ConfigException {
    try {
      return Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new ConfigException(
          flag + ": cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
    }
  }
}
