package io.raftwatch.raftkv.config;

import java.nio.file.Path;

/**
 * One side's TLS settings as etcd names them ({@code --cert-file}, {@code --key-file}, {@code
 * --trusted-ca-file}, {@code --client-cert-auth}, or their {@code --peer-} twins).
 *
 * @param flagPrefix {@code ""} or {@code "peer-"}, to name the right flag in errors
 * @param certFile this member's certificate chain, or null when the side is plain text
 * @param keyFile the certificate's private key
 * @param trustedCaFile the CA bundle that signs acceptable peers or clients, or null
 * @param clientCertAuth whether the server side requires a certificate signed by that CA
 */
public record TlsFiles(
    String flagPrefix, Path certFile, Path keyFile, Path trustedCaFile, boolean clientCertAuth) {

  public static TlsFiles none(String flagPrefix) {
    return new TlsFiles(flagPrefix, null, null, null, false);
  }

  public boolean enabled() {
    return certFile != null;
  }

  String flag(String name) {
    return "--" + flagPrefix + name;
  }
}
