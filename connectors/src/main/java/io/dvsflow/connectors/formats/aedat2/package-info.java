/**
 * jAER AEDAT 1.0 and 2.0: {@link io.dvsflow.connectors.formats.aedat2.Aedat2Reader} and {@link
 * io.dvsflow.connectors.formats.aedat2.Aedat2Writer}.
 *
 * <p>Layout decisions (sources: iniVation's AEDAT 1.0/2.0 pages, jAER's {@code DVS128} and DAVIS
 * extractors, tonic; see the project's formats notes, section 1):
 *
 * <ul>
 *   <li><b>Header</b>: every leading line that starts with {@code #} (LF or CRLF); the body starts
 *       at the first other byte. A first event whose top byte is {@code 0x23} ({@code #}) looks
 *       like a header line; the reader takes a {@code #} line that contains a control character
 *       other than tab or CR before its line feed as binary data (real headers hold none; event
 *       records almost always do, e.g. the high timestamp bytes). A heuristic, not a guarantee.
 *       Bounded at 16 MiB in total and 1 MiB per line. No {@code #!AER-DAT} line means version 1.0.
 *   <li><b>Records</b>: big-endian; 1.0 = int16 address + int32 timestamp (6 bytes), 2.0 = int32
 *       address + int32 timestamp (8 bytes).
 *   <li><b>DVS128 layout</b>: p = bit 0, x = bits 7..1, y = bits 14..8; bit 15 = external event
 *       (skipped, "external"); bit 31 = special (skipped, "special").
 *   <li><b>DAVIS layout</b> (2.0 only): bit 31 = APS/ADC ("aps") or, with bits 11..10 = 3, IMU
 *       ("imu"); bit 10 = external ("external"); else y = bits 30..22, x = bits 21..12, p = bit 11.
 *       Out-of-sensor coordinates are skipped as "out_of_bounds" (DAVIS346 files with such
 *       addresses exist, DHP19 issue #8).
 *   <li><b>Layout choice</b> ({@code AUTO}): from the {@code # AEChip:} class name: DVS128 and
 *       Tmpdiff128 -> DVS128; names containing "davis" -> DAVIS, size from the number after it
 *       (128, 208, 240, 346, 640; otherwise unknown, 0 x 0, no bounds check); no AEChip line ->
 *       DVS128; any other chip -> DVS128 with a warning.
 *   <li><b>Polarity and orientation</b>: by default raw 1 = ON (iniVation's documentation and
 *       jAER's DAVIS extractor; jAER's DVS128 extractor reads raw 0 as ON, select with {@code
 *       rawOneIsOn = false}), coordinates as stored, which in jAER puts the origin at the lower
 *       left. Flips are options ({@code x' = width - 1 - x}, {@code y' = height - 1 - y}).
 *   <li><b>Time</b>: the 32-bit field is unsigned and unwrapped to 64-bit µs (a backwards step over
 *       2^30 µs is a wrap, +2^32); smaller backwards steps are clamped to the previous timestamp
 *       and counted as "time_backwards", so output time never decreases.
 *   <li><b>Writer</b>: AEDAT 2.0, DVS128 layout, raw 1 = ON, {@code t mod 2^32}, a fixed header
 *       with creation time 0 so that output is deterministic.
 * </ul>
 */
package io.dvsflow.connectors.formats.aedat2;
