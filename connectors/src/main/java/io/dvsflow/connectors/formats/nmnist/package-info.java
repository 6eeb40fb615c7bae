/**
 * Reader for the ATIS {@code .bin} format of N-MNIST and N-Caltech101 (Orchard et al. 2015): no
 * header, 5-byte records {@code x, y, p|t[22..16], t[15..8], t[7..0]}.
 *
 * <h2>Policies</h2>
 *
 * <ul>
 *   <li><b>Overflow markers add 2^23 µs, not 2^13.</b> The timestamp field is 23 bits wide, so it
 *       overflows after 2^23 µs = 8.388608 s; a marker record ({@code y == 240}) therefore means
 *       "add 2^23 µs to later timestamps". tonic's {@code read_mnist_file} (inherited from
 *       event-Python) adds 2^13, which would make time jump back by 2^23 - 2^13 µs after every
 *       marker. The question is moot for N-MNIST and N-Caltech101 themselves (recordings last about
 *       0.3 s, far below 8.4 s, and the sample holds no marker), but a longer recording decodes
 *       monotonically only with 2^23. Markers are counted as {@code overflow}.
 *   <li><b>Time never decreases</b>: a step back is clamped to the previous time and counted as
 *       {@code time_backwards}.
 *   <li><b>Geometry is unknown (0x0)</b>: N-MNIST is 34x34, N-Caltech101 up to 240x180, and the
 *       file does not say which. Reporting 34x34 would either drop real N-Caltech101 events or
 *       break the packet's {@code x < width} promise, so no bounds check is made and {@code
 *       flipX}/{@code flipY} are rejected; callers that know the dataset set the geometry.
 * </ul>
 */
package io.dvsflow.connectors.formats.nmnist;
