/**
 * Member configuration as etcd 3.4 reads it: command-line flags, {@code ETCD_*} environment
 * variables and the YAML {@code --config-file}, validated with errors that name the flag and what
 * is wrong; etcd's member-id derivation; and TLS contexts built from the PEM files those flags
 * name.
 */
package io.raftwatch.raftkv.config;
