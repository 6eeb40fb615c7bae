package io.dvsflow.jobs.cli;

import io.dvsflow.connectors.formats.Aedat2Layout;
import io.dvsflow.connectors.formats.EventFormat;
import io.dvsflow.connectors.formats.ReaderOptions;
import picocli.CommandLine.Option;

/** Reader options shared by the commands that read recordings. */
public final class ReaderOptionsMixin {

    @Option(
            names = "--format",
            paramLabel = "FORMAT",
            description =
                    "Read as this format instead of detecting it by content:"
                            + " aedat1, aedat2, aedat3, aedat4, evt2, evt3, dat, nmnist.")
    String format;

    @Option(
            names = "--layout",
            paramLabel = "LAYOUT",
            description =
                    "AEDAT 1.0/2.0 address layout: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE},"
                            + " from the AEChip header line).",
            defaultValue = "AUTO")
    Aedat2Layout layout;

    @Option(
            names = "--raw-zero-is-on",
            description =
                    "AEDAT 1.0/2.0: a raw polarity bit of 0 means ON (jAER's DVS128 extractor);"
                            + " default: 1 means ON (iniVation documentation).")
    boolean rawZeroIsOn;

    @Option(names = "--flip-x", description = "Mirror x: x' = width - 1 - x.")
    boolean flipX;

    @Option(names = "--flip-y", description = "Mirror y: y' = height - 1 - y.")
    boolean flipY;

    /** The options as a {@link ReaderOptions}. */
    public ReaderOptions toOptions() {
        ReaderOptions o =
                ReaderOptions.defaults()
                        .withLayout(layout)
                        .withRawOneIsOn(!rawZeroIsOn)
                        .withFlipX(flipX)
                        .withFlipY(flipY);
        return format == null ? o : o.withFormat(EventFormat.fromShortName(format));
    }
}
