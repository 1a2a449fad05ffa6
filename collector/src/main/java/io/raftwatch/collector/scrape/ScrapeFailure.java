package io.raftwatch.collector.scrape;

import java.io.EOFException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Why a scrape failed, in words for people: "TLS handshake failed: certificate signed by unknown
 * authority", "connection refused", "timeout after 10s", "body over 50 MiB". Thrown by {@link
 * HttpsScraper#fetch} and kept as the target's last error. {@link #getMessage()} names the
 * endpoint; {@link #reason()} is the part after it.
 */
public final class ScrapeFailure extends Exception {
  private static final long serialVersionUID = 1L;
  /** Rejection text for the TLS 1.3 case in ../shared/etcd-3.4-observed.md "mTLS on /metrics". */
  static final String CLIENT_CERT_REJECTED =
      "the server rejected our client certificate (or we sent none)";

  /** OkHttp's internal HTTP/2 exceptions for a peer that went away; matched by name. */
  private static final java.util.Set<String> DROPPED_HTTP2 =
      java.util.Set.of("StreamResetException", "ConnectionShutdownException");

  private final String reason;

  ScrapeFailure(String endpoint, String reason) {
    super(endpoint + ": " + reason);
    this.reason = reason;
  }

  /** The reason without the endpoint. */
  public String reason() {
    return reason;
  }

  /** What the scraper knew about the call when it failed; used to tell the causes apart. */
  record Context(
      String endpoint,
      boolean https,
      String timeout,
      boolean handshakeStarted,
      boolean responseStarted,
      boolean sentClientCertificate,
      Optional<String> clientCertificateProblem) {}

  /** Describes an I/O failure of one scrape. */
  static ScrapeFailure of(Throwable error, Context context) {
    return new ScrapeFailure(context.endpoint(), reason(error, context));
  }

  private static String reason(Throwable error, Context context) {
    if (has(error, CertificateExpiredException.class)) {
      return "TLS handshake failed: certificate expired (the server's certificate)";
    }
    if (has(error, CertificateNotYetValidException.class)) {
      return "TLS handshake failed: certificate not yet valid (the server's certificate)";
    }
    if (error instanceof SSLPeerUnverifiedException) {
      return "TLS handshake failed: the server's certificate is not valid for this host name ("
          + firstLine(error.getMessage()) + "); set tls.serverName to the name it carries";
    }
    if (has(error, CertPathBuilderException.class)
        || messageContains(error, "unable to find valid certification path")) {
      return "TLS handshake failed: certificate signed by unknown authority";
    }
    if (messageContains(error, "unrecognized ssl message")
        || messageContains(error, "plaintext connection")) {
      return "TLS handshake failed: the server does not speak TLS (use an http:// URL?)";
    }
    if (error instanceof InterruptedIOException) {
      // OkHttp's call timeout and socket read/connect timeouts all land here; a call timeout
      // closes the socket, so this test comes before the connection-drop one below.
      return "timeout after " + context.timeout();
    }
    if (messageContains(error, "remote host terminated the handshake")) {
      // The peer hung up mid-handshake without an alert: what a server that does not speak TLS
      // does. A TLS server refusing our certificate sends an alert or drops us after it.
      return "TLS handshake failed: the server closed the connection during the handshake "
          + "(does it serve TLS on this port?)";
    }
    Optional<String> alert = alert(error);
    if (alert.isPresent() && isClientCertificateAlert(alert.get())) {
      return rejected(context, "TLS alert " + alert.get());
    }
    if (context.https() && context.handshakeStarted() && !context.responseStarted()
        && isConnectionDrop(error)) {
      // TLS 1.3: the server checks our certificate after the handshake finished on our side,
      // so its refusal arrives as a reset, broken pipe or end of stream on the first read/write.
      String how = error.getMessage() == null || error.getMessage().isBlank()
          ? error.getClass().getSimpleName() : firstLine(error.getMessage());
      return rejected(context, "connection closed during the TLS handshake (" + how + ")");
    }
    if (alert.isPresent()) {
      return "TLS handshake failed: the server sent alert " + alert.get();
    }
    if (error instanceof SSLHandshakeException) {
      return "TLS handshake failed: " + firstLine(error.getMessage());
    }
    if (error instanceof ConnectException) {
      return messageContains(error, "refused") ? "connection refused"
          : "cannot connect: " + firstLine(error.getMessage());
    }
    if (error instanceof NoRouteToHostException) {
      return "no route to host";
    }
    if (error instanceof UnknownHostException) {
      return "unknown host " + firstLine(error.getMessage());
    }
    if (error instanceof SSLException) {
      return "TLS failed: " + firstLine(error.getMessage());
    }
    String message = error.getMessage();
    return error.getClass().getSimpleName() + (message == null ? "" : ": " + firstLine(message));
  }

  private static String rejected(Context context, String detail) {
    StringBuilder text = new StringBuilder(CLIENT_CERT_REJECTED).append(": ").append(detail);
    if (!context.sentClientCertificate()) {
      text.append("; we sent none, as no client certificate is configured");
    }
    context.clientCertificateProblem().ifPresent(p -> text.append("; ").append(p));
    return text.toString();
  }

  private static boolean isClientCertificateAlert(String alert) {
    return switch (alert) {
      case "bad_certificate", "certificate_required", "unknown_ca", "certificate_unknown",
          "certificate_expired", "certificate_revoked", "unsupported_certificate",
          "access_denied" -> true;
      default -> false;
    };
  }

  private static boolean isConnectionDrop(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof SocketException || t instanceof EOFException || t instanceof SSLException
          || DROPPED_HTTP2.contains(t.getClass().getSimpleName())) {
        return true;
      }
    }
    return messageContains(error, "unexpected end of stream");
  }

  /** The TLS alert the peer sent, from the JDK's "Received fatal alert: bad_certificate". */
  private static Optional<String> alert(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      String m = t.getMessage();
      if (m != null && m.contains("Received fatal alert: ")) {
        String rest = m.substring(m.indexOf("Received fatal alert: ") + 22).trim();
        int end = rest.indexOf(' ');
        return Optional.of(end < 0 ? rest : rest.substring(0, end));
      }
    }
    return Optional.empty();
  }

  private static boolean has(Throwable error, Class<? extends Throwable> type) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private static boolean messageContains(Throwable error, String text) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t.getMessage() != null && t.getMessage().toLowerCase(Locale.ROOT).contains(text)) {
        return true;
      }
    }
    return false;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
