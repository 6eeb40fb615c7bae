/**
 * cAER AEDAT 3.0 / 3.1 (libcaer event packets; the DVS Gesture format): {@link
 * io.dvsflow.connectors.formats.aedat3.Aedat3Reader} and {@link
 * io.dvsflow.connectors.formats.aedat3.Aedat3Writer}.
 *
 * <h2>Layout</h2>
 *
 * <pre>
 * #!AER-DAT3.1\r\n            first line; "#!AER-DAT3.0" for 3.0
 * #Format: RAW\r\n            only RAW is read
 * #Source 1: DVS128\r\n       device name; implies the sensor size
 * #Start-Time: ...\r\n        kept as metadata
 * #!END-HEADER\r\n            3.1 only
 * packet*                     [28-byte header][eventCapacity * eventSize bytes]
 *
 * packet header, little-endian:  int16 eventType | int16 eventSource | int32 eventSize
 *   | int32 eventTSOffset | int32 eventTSOverflow | int32 eventCapacity
 *   | int32 eventNumber | int32 eventValid
 *
 * polarity event (type 1, 8 bytes):  uint32 data | int32 ts32 (µs)
 *   data: bits 31..17 x | bits 16..2 y | bit 1 polarity (1 = ON) | bit 0 valid
 *   t [µs] = (eventTSOverflow &lt;&lt; 31) | ts32
 *
 * special event (type 0, 8 bytes):   uint32 data | int32 ts32
 *   data: bits 31..8 payload | bits 7..1 type (0 wrap, 1 reset, 2..4 external input) | bit 0 valid
 * </pre>
 *
 * <h2>Decisions</h2>
 *
 * <ul>
 *   <li><b>Header end.</b> 3.1 ends at {@code #!END-HEADER}; 3.0 (no marker) ends at the first line
 *       not starting with {@code #}. The first packet byte is the low byte of {@code eventType},
 *       0..13 for defined types, never {@code '#'} (35), so the 3.0 rule is unambiguous for real
 *       files. A 3.1 header without the marker is read with the 3.0 rule (warning, metadata {@code
 *       header-warning}); one that runs into the end of the file is a truncated header. Bounds:
 *       {@code MAX_HEADER_BYTES} (1 MiB), {@code MAX_HEADER_LINE_BYTES} (64 KiB).
 *   <li><b>Sensor size.</b> Not in AEDAT 3 headers. Taken from a {@code #Sensor-Size: WxH} line
 *       (dvsflow's writer adds it only when the device name does not imply the size), else from the
 *       device name (DVS128 / DAVIS128 128x128, DAVIS240 240x180, DAVIS346 346x260, DAVIS640 /
 *       DVXplorer 640x480, DVXplorer Lite / Mini 320x240), else 0x0 = unknown, in which case
 *       coordinates are not bounds-checked and flips are ignored.
 *   <li><b>Block size.</b> A packet's block holds {@code eventCapacity * eventSize} bytes (libcaer,
 *       SpikingJelly); the first {@code eventNumber} events are decoded and the remaining slots
 *       counted as {@code invalid}. {@code eventValid} is not trusted: the per-event valid bit
 *       decides.
 *   <li><b>Hostile sizes.</b> {@code eventSize} in [1, 64 MiB], {@code eventCapacity >= 0}, {@code
 *       eventCapacity * eventSize <= 256 MiB}, {@code 0 <= eventNumber <= eventCapacity}, else an
 *       {@link io.dvsflow.connectors.formats.EventFormatException} at the header's offset. Packets
 *       are decoded or skipped in place in the input window; nothing is allocated from a header
 *       field.
 *   <li><b>Time.</b> {@code TIMESTAMP_WRAP} is ignored (the overflow field carries the epoch).
 *       After {@code TIMESTAMP_RESET} later packets are offset by the last emitted timestamp, so
 *       output time is non-decreasing. Any remaining backward step is clamped and counted as {@code
 *       time_backwards}.
 *   <li><b>Origin.</b> Output is upper-left. 3.1 stores upper-left; 3.0 stored lower-left and is
 *       converted with {@code y' = height - 1 - y} when the height is known.
 *   <li><b>Writer.</b> AEDAT 3.1, polarity packets only, source 1, {@code eventsPerPacket} events
 *       per packet, a new packet at every 2^31 µs overflow boundary, fixed epoch {@code Start-Time}
 *       (wall-clock unknown; output deterministic).
 * </ul>
 */
package io.dvsflow.connectors.formats.aedat3;
