/**
 * The heartbeat link: what a frame says, how it is written on the wire, signed and checked.
 *
 * <p>A frame is one ASCII line: {@code HB1 <host> <config> <LIVE|CLOSE> <boot> <seq> <probe-port>
 * <mac>}. Host and config are percent-encoded UTF-8 so that any name travels without breaking the
 * line; {@code mac} is the unpadded base64url HMAC-SHA256 of everything before it, keyed with
 * {@code hotbackup.secret}, or {@code -} when no secret is configured.
 */
package dev.hotbackup.link;
