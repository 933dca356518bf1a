/**
 * The reconfirm probe: before declaring a silent host DEAD, the backup connects to the port the
 * host announced in its frames and asks whether it is alive. The host answers with a signature over
 * the backup's random nonce, so an answer cannot be replayed or forged without the secret.
 *
 * <p>Request: {@code PROBE1 <host> <config> <nonce>}. Answer: {@code PONG1 <host> <config> <boot>
 * <nonce> <mac>}, where {@code mac} signs everything before it.
 */
package dev.hotbackup.probe;
