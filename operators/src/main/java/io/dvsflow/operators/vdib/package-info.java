/**
 * The learned (VDIB, paper 004) naturalizer as Flink operators: {@link
 * io.dvsflow.operators.vdib.LifEncoderFunction} (binning and the spiking encoder, keyed state per
 * stream), {@link io.dvsflow.operators.vdib.VdibDecoderFunction} (readout ring buffer and ANN
 * decoder), {@link io.dvsflow.operators.vdib.VdibLearnerFunction} (online learning, parallelism 1)
 * and the model loop ({@link io.dvsflow.operators.vdib.ModelGate}, {@link
 * io.dvsflow.operators.vdib.ModelChannel}). The maths lives in {@code io.dvsflow.models}; these
 * classes only move records and load and store state.
 *
 * <pre>
 * packets --Either.Left--+
 *                        +--keyBy(stream)--> LifEncoderFunction --SpikeWindow--keyBy--> VdibDecoderFunction --> ImageFrame "vdib"
 * references --Right-----+        ^  (broadcast: model bytes)     |  GRADIENTS side output           ^
 *                                 |                               v                                  |
 *                                 +------ ModelChannel / model topic <-- VdibLearnerFunction --------+
 * </pre>
 *
 * The broadcast model stream carries no event time: its watermark must be {@code Long.MAX_VALUE} (a
 * bounded model stream ends with it), else it would hold back the operators' timers.
 */
package io.dvsflow.operators.vdib;
