package io.raftwatch.raftkv.config;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway PKI made with the {@code openssl} binary in a test's temp dir: a CA and member
 * certificates for 127.0.0.1/localhost usable as TLS server and client. Skips the test when openssl
 * is missing, fails it when CI=true.
 */
public final class OpensslPki {
  private final Path dir;
  private final String caName;

  private OpensslPki(Path dir, String caName) {
    this.dir = dir;
    this.caName = caName;
  }

  /** Creates a CA named {@code caName} under {@code dir}. */
  public static OpensslPki create(Path dir, String caName) throws Exception {
    boolean present = Files.isExecutable(Path.of("/usr/bin/openssl"));
    if (!present && "true".equals(System.getenv("CI"))) {
      throw new AssertionError("openssl is required when CI=true");
    }
    assumeTrue(present, "openssl binary not installed: skipping TLS test");
    Files.createDirectories(dir);
    OpensslPki pki = new OpensslPki(dir, caName);
    pki.run(
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        pki.path(caName + ".key"),
        "-out",
        pki.path(caName + ".crt"),
        "-days",
        "1",
        "-subj",
        "/CN=" + caName);
    return pki;
  }

  public Path caCert() {
    return dir.resolve(caName + ".crt");
  }

  /** A member certificate (PKCS#8 EC key) signed by this CA; returns {cert, key}. */
  public Path[] issue(String member) throws Exception {
    return issue(member, List.of("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"));
  }

  /** A member certificate whose key is PKCS#1 RSA ("BEGIN RSA PRIVATE KEY"). */
  public Path[] issueWithPkcs1Key(String member) throws Exception {
    run("genrsa", "-traditional", "-out", path(member + ".key"), "2048");
    return issue(member, List.of("-key", path(member + ".key")));
  }

  /** A member certificate whose key is SEC1 EC ("BEGIN EC PRIVATE KEY"). */
  public Path[] issueWithSec1Key(String member) throws Exception {
    run("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", path(member + ".key"));
    return issue(member, List.of("-key", path(member + ".key")));
  }

  private Path[] issue(String member, List<String> keyArgs) throws Exception {
    Path ext = dir.resolve(member + ".ext");
    Files.writeString(
        ext, "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n");
    List<String> req = new ArrayList<>(List.of("req", "-new", "-nodes"));
    req.addAll(keyArgs);
    if (keyArgs.get(0).equals("-newkey")) {
      req.addAll(List.of("-keyout", path(member + ".key")));
    }
    req.addAll(List.of("-out", path(member + ".csr"), "-subj", "/CN=" + member));
    run(req.toArray(String[]::new));
    run(
        "x509",
        "-req",
        "-in",
        path(member + ".csr"),
        "-CA",
        path(caName + ".crt"),
        "-CAkey",
        path(caName + ".key"),
        "-CAcreateserial",
        "-out",
        path(member + ".crt"),
        "-days",
        "1",
        "-extfile",
        ext.toString());
    return new Path[] {dir.resolve(member + ".crt"), dir.resolve(member + ".key")};
  }

  private String path(String name) {
    return dir.resolve(name).toString();
  }

  private void run(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add("openssl");
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("openssl " + String.join(" ", args) + " failed: " + new String(out));
    }
  }
}
