package io.dvsflow.connectors.formats.prophesee;

import io.dvsflow.connectors.formats.EventFormatException;
import io.dvsflow.connectors.formats.ReaderOptions;
import io.dvsflow.connectors.formats.internal.ByteInput;
import io.dvsflow.connectors.formats.internal.ByteInputReader;
import io.dvsflow.schemas.EventPacket;
import java.io.IOException;
import java.io.InputStream;

/**
 * What the Prophesee readers share: the {@code %} header, the packet contract, statistics and the
 * optional mirroring. Subclasses implement one tight decode loop each in {@link #decode}.
 */
abstract class PropheseeReader extends ByteInputReader {

    final PropheseeHeader header;
    final boolean flipX;
    final boolean flipY;

    /** Sensor width and height, {@code 0} when unknown. */
    int width;

    int height;

    /** Exclusive coordinate bounds used by the decode loops ({@code MAX_VALUE} when unknown). */
    int xLimit;

    int yLimit;

    PropheseeReader(InputStream in, String sourceName, ReaderOptions options) throws IOException {
        super(new ByteInput(in, sourceName), options);
        this.header = PropheseeHeader.parse(this.in);
        this.flipX = options.flipX();
        this.flipY = options.flipY();
        setGeometry(header.width, header.height);
    }

    /** Sets the geometry and the bounds the decode loops check; flips need a known geometry. */
    final void setGeometry(int w, int h) throws EventFormatException {
        this.width = w;
        this.height = h;
        this.xLimit = w > 0 ? w : Integer.MAX_VALUE;
        this.yLimit = h > 0 ? h : Integer.MAX_VALUE;
        if ((flipX && w <= 0) || (flipY && h <= 0)) {
            throw new EventFormatException(
                    in.name(),
                    -1,
                    "flipX/flipY need the sensor size, which this file's header does not state");
        }
    }

    /**
     * Decodes events into {@code out}'s columns from index 0, at most {@code out.capacity()}, and
     * flushes the counters into {@link #stats}. Returns fewer than the capacity only at the end of
     * the input.
     *
     * @return the number of events placed
     */
    abstract int decode(EventPacket out) throws IOException;

    @Override
    public final boolean read(EventPacket out) throws IOException {
        out.clear();
        out.setStreamId(streamId());
        out.setGeometry(width, height);
        int n = decode(out);
        out.setSize(n);
        if (flipX) {
            short[] xs = out.xs();
            int w1 = width - 1;
            for (int i = 0; i < n; i++) {
                xs[i] = (short) (w1 - xs[i]);
            }
        }
        if (flipY) {
            short[] ys = out.ys();
            int h1 = height - 1;
            for (int i = 0; i < n; i++) {
                ys[i] = (short) (h1 - ys[i]);
            }
        }
        return n > 0;
    }
}
