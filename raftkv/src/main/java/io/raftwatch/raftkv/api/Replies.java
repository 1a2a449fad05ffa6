package io.raftwatch.raftkv.api;

import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;

/** Completes a unary gRPC call from a future: its value, or its failure as an etcd error. */
final class Replies {
  private Replies() {}

  static <T> void send(CompletableFuture<T> result, StreamObserver<T> out) {
    result.whenComplete(
        (value, failure) -> {
          if (failure != null) {
            out.onError(EtcdErrors.of(failure));
          } else {
            out.onNext(value);
            out.onCompleted();
          }
        });
  }
}
