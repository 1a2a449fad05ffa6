package io.raftwatch.collector.demo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.Headers;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.tls.Certificates;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;

/**
 * {@code raftwatch demo --load}: a small, steady write load so that the page's graphs move
 * (proposals committed, backend commits, WAL fsyncs, gRPC traffic). Each write is an etcd v3
 * {@code KV.Put} of one of 100 keys, sent to the members in turn over gRPC with the client
 * certificate, so followers forward proposals to the leader as they would for any client. A write
 * that fails (a member killed by chaos, no leader yet) is counted, not retried.
 *
 * <p>gRPC is spoken directly over OkHttp's HTTP/2: a unary call is a POST of one length-prefixed
 * protobuf message, and its outcome is the {@code grpc-status} trailer. That keeps a gRPC stack
 * out of the collector for the sake of one message type. Runs on its own thread until interrupted.
 */
public final class WriteLoad implements Runnable {
  static final MediaType GRPC = MediaType.get("application/grpc");
  private static final int KEYS = 100;

  private final OkHttpClient client;
  private final List<URI> members;
  private final Duration period;
  private final AtomicLong succeeded = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();

  /** A load of {@code perSecond} writes per second to the members' client URLs. */
  public WriteLoad(DemoPki pki, List<URI> members, int perSecond) throws IOException {
    HeldCertificate client = HeldCertificate.decode(
        Files.readString(pki.client().cert()) + Files.readString(pki.client().key()));
    HandshakeCertificates tls = new HandshakeCertificates.Builder()
        .addTrustedCertificate(Certificates.decodeCertificatePem(Files.readString(pki.caCert())))
        .heldCertificate(client)
        .build();
    this.client = new OkHttpClient.Builder()
        .sslSocketFactory(tls.sslSocketFactory(), tls.trustManager())
        .protocols(List.of(Protocol.HTTP_2, Protocol.HTTP_1_1)) // gRPC needs h2; ALPN picks it
        .callTimeout(2, TimeUnit.SECONDS)
        .build();
    this.members = List.copyOf(members);
    this.period = Duration.ofNanos(TimeUnit.SECONDS.toNanos(1) / perSecond);
  }

  @Override
  public void run() {
    try {
      for (long n = 0; !Thread.currentThread().isInterrupted(); n++) {
        long started = System.nanoTime();
        boolean ok = put(members.get((int) (n % members.size())), "demo/key-" + (n % KEYS),
            "write " + n);
        (ok ? succeeded : failed).incrementAndGet();
        long left = period.toNanos() - (System.nanoTime() - started);
        if (left > 0) {
          TimeUnit.NANOSECONDS.sleep(left);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the demo is stopping
    } finally {
      client.dispatcher().executorService().shutdown();
      client.connectionPool().evictAll();
    }
  }

  /** Writes that the cluster acknowledged so far. */
  public long succeeded() {
    return succeeded.get();
  }

  /** Writes that failed or timed out so far. */
  public long failed() {
    return failed.get();
  }

  /** One {@code etcdserverpb.KV/Put}; whether the member answered with gRPC status OK. */
  boolean put(URI member, String key, String value) {
    Request request = new Request.Builder()
        .url(member.resolve("/etcdserverpb.KV/Put").toString())
        .header("te", "trailers")
        .post(RequestBody.create(frame(putRequest(key, value)), GRPC))
        .build();
    try (Response response = client.newCall(request).execute()) {
      response.body().bytes();
      // A failed call may carry its status in the headers alone ("trailers-only").
      String status = response.header("grpc-status");
      if (status == null) {
        Headers trailers = response.trailers();
        status = trailers.get("grpc-status");
      }
      return response.code() == 200 && "0".equals(status);
    } catch (IOException e) {
      return false;
    }
  }

  /** etcd's {@code PutRequest}: field 1 key and field 2 value, both length-delimited bytes. */
  static byte[] putRequest(String key, String value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    field(out, 1, key.getBytes(StandardCharsets.UTF_8));
    field(out, 2, value.getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  /** gRPC's message framing: a compressed flag (0), the length as 4 bytes big-endian, the message. */
  static byte[] frame(byte[] message) {
    byte[] framed = new byte[5 + message.length];
    int n = message.length;
    framed[1] = (byte) (n >>> 24);
    framed[2] = (byte) (n >>> 16);
    framed[3] = (byte) (n >>> 8);
    framed[4] = (byte) n;
    System.arraycopy(message, 0, framed, 5, n);
    return framed;
  }

  private static void field(ByteArrayOutputStream out, int number, byte[] bytes) {
    varint(out, (number << 3) | 2);
    varint(out, bytes.length);
    out.writeBytes(bytes);
  }

  private static void varint(ByteArrayOutputStream out, int value) {
    while ((value & ~0x7f) != 0) {
      out.write((value & 0x7f) | 0x80);
      value >>>= 7;
    }
    out.write(value);
  }
}
