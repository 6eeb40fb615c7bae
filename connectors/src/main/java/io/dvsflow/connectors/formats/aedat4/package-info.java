/**
 * AEDAT 4.0 (iniVation DV, dv-processing): {@link
 * io.dvsflow.connectors.formats.aedat4.Aedat4Reader} and {@link
 * io.dvsflow.connectors.formats.aedat4.Aedat4Writer}.
 *
 * <p>Layout (docs/formats.md section 3): {@code #!AER-DAT4.0\r\n}, uint32 LE IOHeader length, the
 * IOHeader flatbuffer ({@code IOHE}: compression, dataTablePosition, XML description of the
 * streams), then packets of interleaved streams, each an 8-byte header (int32 stream id, int32
 * size, little-endian) and {@code size} bytes holding one size-prefixed flatbuffer, compressed as
 * one LZ4 or Zstandard frame when the IOHeader says so. Event packets ({@code EVTS}) hold a vector
 * of 16-byte structs {@code {int64 t; int16 x; int16 y; bool on; 3 padding}}.
 *
 * <p>Decisions:
 *
 * <ul>
 *   <li><b>No flatbuffers library.</b> {@code FlatTable} reads tables, vectors and strings with a
 *       bounds check on every offset (a corrupt offset is an {@link
 *       io.dvsflow.connectors.formats.EventFormatException}); {@code FlatBufferWriter} lays out the
 *       two buffers the writer needs at fixed offsets.
 *   <li><b>LZ4 frames are decoded in this package</b> ({@code PacketDecompressor}) over lz4-java's
 *       xxHash: DV writes linked-block frames, whose back-references across 64 KiB blocks a
 *       block-by-block decoder such as {@code LZ4FrameInputStream} cannot resolve. Zstandard frames
 *       go through zstd-jni.
 *   <li><b>One event stream</b> is delivered: the {@code EVTS} stream with the lowest id. Events of
 *       any other {@code EVTS} stream are counted as skipped {@code other} (per event).
 *   <li><b>Skip counts:</b> {@code imu} per IMU sample, {@code external} per trigger, {@code frame}
 *       per frame (= per {@code FRME} packet, not decompressed), {@code other} per packet of an
 *       unknown type or stream id, {@code out_of_bounds} per event outside {@code sizeX} x {@code
 *       sizeY}, {@code time_backwards} per event whose timestamp was clamped up to the previous
 *       one.
 *   <li><b>Large packets</b> are split across {@code read} calls: the reader keeps its place inside
 *       the decoded packet; {@code read} also fills one output packet from several file packets.
 *   <li><b>End of the packets:</b> at {@code dataTablePosition} when the IOHeader gives one (the
 *       FileDataTable is not read: it only indexes what the walk finds anyway), else at the end of
 *       the input. A truncated packet, or an input ending before the announced table, is an error
 *       naming the packet offset, raised by the {@code read} call after the one that returned the
 *       last complete events.
 *   <li><b>Writer:</b> one {@code EVTS} stream (id 0), {@code dataTablePosition = -1} (no
 *       FileDataTable: the stream cannot seek back to patch the header, and buffering the file
 *       would break bounded memory), deterministic bytes for the same input.
 *   <li><b>Bounds:</b> IOHeader 16 MiB, stored packet 256 MiB, decompressed packet 256 MiB; buffers
 *       grow only as bytes actually arrive or decode, so a hostile size field cannot force a large
 *       allocation.
 * </ul>
 */
package io.dvsflow.connectors.formats.aedat4;
