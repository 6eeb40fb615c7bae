package io.dvsflow.connectors.sink;

import io.dvsflow.schemas.avro.Frame;
import io.dvsflow.schemas.avro.PixelType;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import javax.imageio.ImageIO;

/**
 * Turns a {@link Frame} into a picture a person can look at.
 *
 * <ul>
 *   <li>2 channels (ON/OFF counts): ON in green, OFF in red, each {@code 255 * min(1, v / m)} with
 *       {@code m} the largest value of the frame (at least 1);
 *   <li>1 channel: grey, linearly normalised from the frame's minimum (black) to maximum (white); a
 *       constant frame is black; {@code UINT8} frames are shown as stored;
 *   <li>{@code B > 2} channels (voxel grids): the {@code B} planes side by side, each normalised as
 *       a 1-channel frame.
 * </ul>
 *
 * Each image pixel is enlarged {@code scale} times (nearest neighbour).
 */
public final class FramePngEncoder {

    private FramePngEncoder() {}

    /** The frame's values as floats, channel-major then row-major. */
    public static float[] values(Frame frame) {
        int n = frame.getChannels() * frame.getWidth() * frame.getHeight();
        ByteBuffer b = frame.getPixels().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[n];
        if (frame.getPixelType() == PixelType.UINT8) {
            for (int i = 0; i < n; i++) {
                v[i] = b.get(b.position() + i) & 0xFF;
            }
        } else {
            b.asFloatBuffer().get(v);
        }
        return v;
    }

    /** Renders the frame. */
    public static BufferedImage render(Frame frame, int scale) {
        int w = frame.getWidth();
        int h = frame.getHeight();
        int c = frame.getChannels();
        float[] v = values(frame);
        int planes = c == 2 ? 1 : c;
        BufferedImage img =
                new BufferedImage(w * planes * scale, h * scale, BufferedImage.TYPE_INT_RGB);
        if (c == 2) {
            float max = 1f;
            for (float f : v) {
                max = Math.max(max, f);
            }
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int g = (int) (255 * Math.min(1f, v[y * w + x] / max));
                    int r = (int) (255 * Math.min(1f, v[(h + y) * w + x] / max));
                    fill(img, x, y, scale, (r << 16) | (g << 8));
                }
            }
            return img;
        }
        boolean raw = frame.getPixelType() == PixelType.UINT8;
        for (int p = 0; p < planes; p++) {
            float min = Float.POSITIVE_INFINITY;
            float max = Float.NEGATIVE_INFINITY;
            for (int i = p * w * h; i < (p + 1) * w * h; i++) {
                min = Math.min(min, v[i]);
                max = Math.max(max, v[i]);
            }
            float range = max - min;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float f = v[(p * h + y) * w + x];
                    int g = raw ? (int) f : range > 0 ? Math.round(255 * (f - min) / range) : 0;
                    g = Math.max(0, Math.min(255, g));
                    fill(img, p * w + x, y, scale, (g << 16) | (g << 8) | g);
                }
            }
        }
        return img;
    }

    private static void fill(BufferedImage img, int x, int y, int scale, int rgb) {
        for (int dy = 0; dy < scale; dy++) {
            for (int dx = 0; dx < scale; dx++) {
                img.setRGB(x * scale + dx, y * scale + dy, rgb);
            }
        }
    }

    /**
     * PNG bytes of the rendered frame, with the frame's metadata (window end, event count, model
     * version, spike statistics) in a {@code tEXt} chunk ({@link PngMetadata}).
     */
    public static byte[] png(Frame frame, int scale) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(render(frame, scale), "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return PngMetadata.withText(out.toByteArray(), PngMetadata.text(frame));
    }
}
