package io.raftwatch.raftkv.api;

import com.google.protobuf.MessageLite;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.Histogram;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The client-facing gRPC metrics etcd exports (go-grpc-prometheus's names, labels and buckets),
 * recorded by an interceptor on every call of the client API. As in etcd, the started and
 * handled series of every served method are pre-initialised to 0 (handled for every code); the
 * handling-time histogram exists only with {@code --metrics=extensive}. Thread-safe.
 *
 * <pre>
 * grpc_server_started_total{grpc_method="Range",grpc_service="etcdserverpb.KV",grpc_type="unary"} 3
 * grpc_server_handled_total{grpc_code="OK",grpc_method="Range",grpc_service="etcdserverpb.KV",grpc_type="unary"} 3
 * grpc_server_msg_received_total{grpc_method="Watch",grpc_service="etcdserverpb.Watch",grpc_type="bidi_stream"} 2
 * etcd_network_client_grpc_received_bytes_total 130410
 * </pre>
 */
public final class GrpcMetrics implements ServerInterceptor {
  // Go's codes.Code names, in io.grpc.Status.Code order (the numeric codes agree).
  private static final List<String> CODES = List.of("OK", "Canceled", "Unknown", "InvalidArgument",
      "DeadlineExceeded", "NotFound", "AlreadyExists", "PermissionDenied", "ResourceExhausted",
      "FailedPrecondition", "Aborted", "OutOfRange", "Unimplemented", "Internal", "Unavailable",
      "DataLoss", "Unauthenticated");

  private final Counter started;
  private final Counter handled;
  private final Counter msgReceived;
  private final Counter msgSent;
  private final Counter receivedBytes;
  private final Counter sentBytes;
  private final Histogram handlingSeconds; // null unless extensive
  private final Map<String, MethodSeries> byMethod = new ConcurrentHashMap<>();

  public GrpcMetrics(CollectorRegistry registry, boolean extensive) {
    started = Counter.build("grpc_server_started_total", "Total number of RPCs started on the server.")
        .labelNames("grpc_method", "grpc_service", "grpc_type").register(registry);
    handled = Counter.build("grpc_server_handled_total",
            "Total number of RPCs completed on the server, regardless of success or failure.")
        .labelNames("grpc_code", "grpc_method", "grpc_service", "grpc_type").register(registry);
    msgReceived = Counter.build("grpc_server_msg_received_total",
            "Total number of RPC stream messages received on the server.")
        .labelNames("grpc_method", "grpc_service", "grpc_type").register(registry);
    msgSent = Counter.build("grpc_server_msg_sent_total",
            "Total number of gRPC stream messages sent by the server.")
        .labelNames("grpc_method", "grpc_service", "grpc_type").register(registry);
    receivedBytes = Counter.build("etcd_network_client_grpc_received_bytes_total",
        "The total number of bytes received from grpc clients.").register(registry);
    sentBytes = Counter.build("etcd_network_client_grpc_sent_bytes_total",
        "The total number of bytes sent to grpc clients.").register(registry);
    handlingSeconds = extensive
        ? Histogram.build("grpc_server_handling_seconds",
                "Histogram of response latency (seconds) of gRPC that had been application-level "
                    + "handled by the server.")
            .labelNames("grpc_method", "grpc_service", "grpc_type")
            .buckets(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
            .register(registry)
        : null;
  }

  /** Creates the zero-valued series of every method of {@code services}, as etcd does at start. */
  public void preinitialize(List<ServerServiceDefinition> services) {
    for (ServerServiceDefinition service : services) {
      for (ServerMethodDefinition<?, ?> m : service.getMethods()) {
        series(m.getMethodDescriptor());
      }
    }
  }

  /**
   * One method's series, looked up once per call: the registry's own lookup by label values
   * allocates and hashes on every use, and this interceptor runs on every request.
   */
  private final class MethodSeries {
    final Counter.Child started;
    final Counter.Child msgReceived;
    final Counter.Child msgSent;
    final Counter.Child[] handledByCode = new Counter.Child[CODES.size()];
    final Histogram.Child handlingSeconds; // null unless extensive

    MethodSeries(MethodDescriptor<?, ?> md) {
      String method = md.getBareMethodName();
      String service = md.getServiceName();
      String type = type(md.getType());
      started = GrpcMetrics.this.started.labels(method, service, type);
      msgReceived = GrpcMetrics.this.msgReceived.labels(method, service, type);
      msgSent = GrpcMetrics.this.msgSent.labels(method, service, type);
      for (int code = 0; code < handledByCode.length; code++) {
        handledByCode[code] = handled.labels(CODES.get(code), method, service, type);
      }
      handlingSeconds = GrpcMetrics.this.handlingSeconds == null
          ? null
          : GrpcMetrics.this.handlingSeconds.labels(method, service, type);
    }
  }

  private MethodSeries series(MethodDescriptor<?, ?> md) {
    return byMethod.computeIfAbsent(md.getFullMethodName(), name -> new MethodSeries(md));
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    MethodSeries series = series(call.getMethodDescriptor());
    series.started.inc();
    long start = System.nanoTime();
    ServerCall<Q, R> counted = new SimpleForwardingServerCall<>(call) {
      @Override
      public void sendMessage(R message) {
        series.msgSent.inc();
        sentBytes.inc(size(message));
        super.sendMessage(message);
      }

      @Override
      public void close(Status status, Metadata trailers) {
        series.handledByCode[status.getCode().value()].inc();
        if (series.handlingSeconds != null) {
          series.handlingSeconds.observe((System.nanoTime() - start) / 1e9);
        }
        super.close(status, trailers);
      }
    };
    return new SimpleForwardingServerCallListener<>(next.startCall(counted, headers)) {
      @Override
      public void onMessage(Q message) {
        series.msgReceived.inc();
        receivedBytes.inc(size(message));
        super.onMessage(message);
      }
    };
  }

  private static int size(Object message) {
    return message instanceof MessageLite m ? m.getSerializedSize() : 0;
  }

  private static String type(MethodDescriptor.MethodType t) {
    return switch (t) {
      case UNARY -> "unary";
      case CLIENT_STREAMING -> "client_stream";
      case SERVER_STREAMING -> "server_stream";
      case BIDI_STREAMING -> "bidi_stream";
      case UNKNOWN -> "unknown";
    };
  }
}
