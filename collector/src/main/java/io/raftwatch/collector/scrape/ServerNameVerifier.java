package io.raftwatch.collector.scrape;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Verifies the server certificate against a configured name (Prometheus's {@code server_name})
 * instead of the URL's host, for members reached by IP whose certificates only carry a DNS name.
 * Checks the subjectAltName DNS and IP entries (RFC 6125; a wildcard covers one leftmost label).
 * Called by OkHttp on the scrape thread; stateless.
 */
final class ServerNameVerifier implements HostnameVerifier {
  private static final int SAN_DNS = 2;
  private static final int SAN_IP = 7;
  private final String serverName;

  ServerNameVerifier(String serverName) {
    this.serverName = serverName.toLowerCase(Locale.ROOT);
  }

  @Override
  public boolean verify(String urlHost, SSLSession session) {
    try {
      X509Certificate leaf = (X509Certificate) session.getPeerCertificates()[0];
      Collection<List<?>> names = leaf.getSubjectAlternativeNames();
      if (names == null) {
        return false;
      }
      for (List<?> entry : names) {
        int type = (Integer) entry.get(0);
        String value = ((String) entry.get(1)).toLowerCase(Locale.ROOT);
        if (type == SAN_IP && value.equals(serverName) || type == SAN_DNS && matches(value)) {
          return true;
        }
      }
      return false;
    } catch (SSLPeerUnverifiedException | CertificateParsingException | ClassCastException e) {
      return false;
    }
  }

  private boolean matches(String pattern) {
    if (pattern.startsWith("*.")) {
      int dot = serverName.indexOf('.');
      return dot > 0 && serverName.substring(dot).equals(pattern.substring(1));
    }
    return pattern.equals(serverName);
  }
}
