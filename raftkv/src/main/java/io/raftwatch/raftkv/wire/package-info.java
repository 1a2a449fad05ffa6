/**
 * Byte encodings shared by the peer wire format ({@code transport}) and the stored values
 * ({@code mvcc}).
 */
package io.raftwatch.raftkv.wire;
