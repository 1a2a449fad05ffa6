package io.raftwatch.collector.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Client TLS for scraping one cluster's members; the same files etcdctl takes as {@code
 * --cacert}, {@code --cert} and {@code --key}. Paths are absolute. Whether the files exist, the
 * key matches the certificate and the certificates are in date is checked by {@code
 * scrape.ClientTls} before the first scrape.
 *
 * @param caFile PEM CA bundle that signs the members' server certificates; empty means the JDK's
 *     trusted CAs
 * @param certFile PEM client certificate (and optional intermediates); present iff {@code keyFile}
 * @param keyFile PEM private key, RSA or EC, PKCS#1 or PKCS#8, unencrypted; never logged
 * @param serverName the name to verify the members' certificates against instead of the URL's
 *     host (Prometheus's {@code server_name})
 * @param insecureSkipVerify when true, server certificates are not verified at all. Loud: logged
 *     as a warning at every start and shown in reports.
 */
public record TlsConfig(
    Optional<Path> caFile,
    Optional<Path> certFile,
    Optional<Path> keyFile,
    Optional<String> serverName,
    boolean insecureSkipVerify) {}
