package io.raftwatch.collector.scrape;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PEM blocks of one file ({@code -----BEGIN TYPE-----} … {@code -----END TYPE-----}). Read by
 * {@link ClientTls} on the thread that builds a cluster's scraper. Error messages name the file
 * and never quote its contents (it may hold a key).
 */
final class PemFile {
  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \\1-----");

  /** One block: its type ({@code CERTIFICATE}, {@code RSA PRIVATE KEY}, …) and DER bytes. */
  record Block(String type, byte[] der) {}

  private final Path path;
  private final List<Block> blocks;

  private PemFile(Path path, List<Block> blocks) {
    this.path = path;
    this.blocks = blocks;
  }

  /**
   * Reads every block of {@code path}.
   *
   * @throws TlsMaterialException when the file is missing, unreadable or holds no PEM block
   */
  static PemFile read(Path path, String role) throws TlsMaterialException {
    String text;
    try {
      text = Files.readString(path, StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      throw new TlsMaterialException(role + " " + path + " does not exist");
    } catch (IOException e) {
      throw new TlsMaterialException(role + " " + path + " cannot be read: " + e.getMessage());
    }
    List<Block> blocks = new ArrayList<>();
    Matcher m = BLOCK.matcher(text);
    while (m.find()) {
      try {
        blocks.add(new Block(m.group(1), Base64.getMimeDecoder().decode(m.group(2).trim())));
      } catch (IllegalArgumentException e) {
        throw new TlsMaterialException(
            role + " " + path + ": the " + m.group(1) + " block is not valid base64");
      }
    }
    if (blocks.isEmpty()) {
      throw new TlsMaterialException(role + " " + path + " holds no PEM block (-----BEGIN ...-----)");
    }
    return new PemFile(path, blocks);
  }

  Path path() {
    return path;
  }

  List<Block> blocks() {
    return blocks;
  }

  /** The {@code CERTIFICATE} blocks, in file order; at least one. */
  List<X509Certificate> certificates(String role) throws TlsMaterialException {
    List<X509Certificate> certs = new ArrayList<>();
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      for (Block b : blocks) {
        if (b.type().equals("CERTIFICATE")) {
          certs.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(b.der())));
        }
      }
    } catch (CertificateException e) {
      throw new TlsMaterialException(role + " " + path + " holds a certificate that cannot be parsed: "
          + e.getMessage());
    }
    if (certs.isEmpty()) {
      throw new TlsMaterialException(role + " " + path + " holds no CERTIFICATE block");
    }
    return certs;
  }
}
