package io.dvsflow.operators.types;

import io.dvsflow.schemas.avro.Frame;
import io.dvsflow.schemas.avro.LayerSpikes;
import io.dvsflow.schemas.avro.PixelType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Converts between the in-job {@link ImageFrame} and the Avro wire record {@link Frame}.
 *
 * <p>{@link #toAvro} writes {@link PixelType#FLOAT32} pixels as IEEE 754 little-endian floats and
 * the model version ({@code null} for {@link ImageFrame#NO_MODEL}: binned and classical images are
 * not learned). {@link #fromAvro} reads both pixel types; {@code UINT8} bytes become floats in
 * {@code [0, 255]}. Spike statistics travel as {@code spikeStats} ({@code LayerSpikes} per layer,
 * unknown values as null).
 */
public final class ImageFrameAvroConverter {

    private ImageFrameAvroConverter() {}

    /** The Avro form of {@code frame}. */
    public static Frame toAvro(ImageFrame frame) {
        float[] px = frame.pixels();
        ByteBuffer bytes = ByteBuffer.allocate(4 * px.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(px);
        return Frame.newBuilder()
                .setStreamId(frame.streamId())
                .setWindowStartUs(frame.windowStartUs())
                .setWindowEndUs(frame.windowEndUs())
                .setWidth(frame.width())
                .setHeight(frame.height())
                .setChannels(frame.channels())
                .setPixelType(PixelType.FLOAT32)
                .setPixels(bytes)
                .setKind(frame.kind())
                .setModelVersion(
                        frame.modelVersion() == ImageFrame.NO_MODEL ? null : frame.modelVersion())
                .setEventCount(frame.eventCount())
                .setSpikeStats(toAvroStats(frame))
                .build();
    }

    private static java.util.List<LayerSpikes> toAvroStats(ImageFrame frame) {
        int layers = frame.statLayers();
        if (layers == 0) {
            return null;
        }
        float[] s = frame.spikeStats();
        java.util.List<LayerSpikes> out = new java.util.ArrayList<>(layers);
        for (int l = 0; l < layers; l++) {
            int o = l * ImageFrame.STATS_PER_LAYER;
            out.add(
                    LayerSpikes.newBuilder()
                            .setLayer(frame.statLayerName(l))
                            .setRate(s[o])
                            .setActiveRatio(Float.isNaN(s[o + 1]) ? null : s[o + 1])
                            .setBurstingRatio(Float.isNaN(s[o + 2]) ? null : s[o + 2])
                            .build());
        }
        return out;
    }

    private static float[] fromAvroStats(java.util.List<LayerSpikes> stats) {
        if (stats == null || stats.isEmpty()) {
            return null;
        }
        if (stats.size() > ImageFrame.MAX_STAT_LAYERS) {
            throw new IllegalArgumentException(
                    "Frame holds spike statistics of "
                            + stats.size()
                            + " layers, at most "
                            + ImageFrame.MAX_STAT_LAYERS);
        }
        float[] s = new float[stats.size() * ImageFrame.STATS_PER_LAYER];
        for (int l = 0; l < stats.size(); l++) {
            LayerSpikes x = stats.get(l);
            int o = l * ImageFrame.STATS_PER_LAYER;
            s[o] = x.getRate();
            s[o + 1] = x.getActiveRatio() == null ? Float.NaN : x.getActiveRatio();
            s[o + 2] = x.getBurstingRatio() == null ? Float.NaN : x.getBurstingRatio();
        }
        return s;
    }

    /**
     * The in-job form of an Avro frame.
     *
     * @throws IllegalArgumentException when the pixel bytes do not match the declared shape
     */
    public static ImageFrame fromAvro(Frame avro) {
        long n = (long) avro.getChannels() * avro.getHeight() * avro.getWidth();
        if (avro.getChannels() < 1
                || avro.getHeight() < 1
                || avro.getWidth() < 1
                || n > ImageFrame.MAX_VALUES) {
            throw new IllegalArgumentException(
                    "Frame shape "
                            + avro.getChannels()
                            + "x"
                            + avro.getHeight()
                            + "x"
                            + avro.getWidth()
                            + " is empty or exceeds "
                            + ImageFrame.MAX_VALUES
                            + " values");
        }
        ByteBuffer bytes = avro.getPixels().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        float[] px = new float[(int) n];
        int bytesPerValue = avro.getPixelType() == PixelType.UINT8 ? 1 : 4;
        if (bytes.remaining() != n * bytesPerValue) {
            throw new IllegalArgumentException(
                    "Frame pixels hold "
                            + bytes.remaining()
                            + " bytes, shape needs "
                            + n * bytesPerValue);
        }
        if (bytesPerValue == 4) {
            bytes.asFloatBuffer().get(px);
        } else {
            for (int i = 0; i < px.length; i++) {
                px[i] = bytes.get() & 0xFF;
            }
        }
        return new ImageFrame(
                avro.getStreamId(),
                avro.getWindowStartUs(),
                avro.getWindowEndUs(),
                avro.getWidth(),
                avro.getHeight(),
                avro.getChannels(),
                px,
                avro.getKind(),
                avro.getEventCount(),
                avro.getModelVersion() == null || avro.getModelVersion() < 0
                        ? ImageFrame.NO_MODEL
                        : avro.getModelVersion(),
                fromAvroStats(avro.getSpikeStats()));
    }
}
