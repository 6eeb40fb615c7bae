/**
 * Readers for Prophesee recordings: RAW EVT 2.0 ({@link
 * io.dvsflow.connectors.formats.prophesee.Evt2Reader}), RAW EVT 3.0 ({@link
 * io.dvsflow.connectors.formats.prophesee.Evt3Reader}) and DAT ({@link
 * io.dvsflow.connectors.formats.prophesee.DatReader}).
 *
 * <p>Each reader decodes with one loop over the input's {@code byte[]} window straight into the
 * packet's columns; decoder state (time base, wrap count, EVT 3.0 y / polarity / vector base x, a
 * vector cut by a full packet) lives in fields, so decoding continues exactly across {@code read}
 * calls and buffer refills.
 *
 * <h2>Header</h2>
 *
 * {@code %} lines are read while the next byte is {@code '%'} and up to a {@code % end} line, at
 * most 10,000 lines of at most 4096 bytes. {@code % evt 2.0}/{@code 3.0} and {@code % format
 * EVT2|EVT3;...} must match the reader (EVT 2.1 is rejected). Geometry comes from {@code % geometry
 * WxH}, else {@code % format ...;width=W;height=H}, else {@code % Width}/{@code % Height}, else the
 * plugin name or sensor generation (Gen3/Gen3.1: 640x480; Gen4/Gen4.1/IMX636: 1280x720), else it is
 * 0x0, unknown. The real samples state no geometry: their plugins ({@code hal_plugin_gen3_fx3},
 * {@code hal_plugin_gen41_evk3}) give 640x480 and 1280x720. Header sizes outside {@code [1, 16384]}
 * are errors.
 *
 * <h2>Policies common to the three readers</h2>
 *
 * <ul>
 *   <li><b>Output time never decreases.</b> A step back smaller than the wrap threshold is clamped
 *       to the current time and counted as {@code time_backwards} (EVT 2.0 and DAT: per event; EVT
 *       3.0: per TIME_LOW/TIME_HIGH word, since time is set by those words).
 *   <li><b>Wraps</b> are counted only from large steps back: EVT 2.0 TIME_HIGH back by more than
 *       2^27 (half its range) adds 2^34 µs; EVT 3.0 TIME_HIGH back by more than 2048 adds 2^24 µs;
 *       DAT time back by more than 2^31 µs adds 2^32 µs. <b>EVT 3.0 TIME_LOW is never a wrap
 *       source</b>: real recordings step TIME_LOW back by a few µs under an unchanged TIME_HIGH,
 *       and treating that as a wrap (expelliarmus issue #19) shifts every later event by 4096 µs.
 *   <li><b>Before the first time word</b> (EVT 2.0 TIME_HIGH, EVT 3.0 TIME_HIGH/TIME_LOW) the time
 *       high part is 0.
 *   <li><b>Skips</b>: external triggers as {@code external}; EVT 2.0 OTHERS/CONTINUED, EVT 3.0
 *       CONTINUED_4 ({@code 0x7}), OTHERS, CONTINUED_12 and undefined types as {@code other};
 *       coordinates outside a known geometry as {@code out_of_bounds}.
 *   <li><b>Truncation</b>: a partial final word or record is an {@link
 *       io.dvsflow.connectors.formats.EventFormatException} naming the offset, thrown by the {@code
 *       read} after the one that delivered the events before it.
 *   <li>{@code flipX}/{@code flipY} need a known geometry; otherwise the constructor fails.
 * </ul>
 */
package io.dvsflow.connectors.formats.prophesee;
