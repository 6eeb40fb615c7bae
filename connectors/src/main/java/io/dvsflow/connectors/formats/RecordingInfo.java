package io.dvsflow.connectors.formats;

import java.util.Map;
import java.util.Objects;

/**
 * What a recording's header says about itself.
 *
 * @param format the detected (or forced) format
 * @param version the version string as written in the file (e.g. {@code 2.0}, {@code 3.1}), or
 *     empty
 * @param width sensor width in pixels, {@code 0} when the file does not say
 * @param height sensor height in pixels, {@code 0} when the file does not say
 * @param device the camera or chip name when the file names it, or empty
 * @param metadata other header key-value pairs worth showing (ordered as found)
 */
public record RecordingInfo(
        EventFormat format,
        String version,
        int width,
        int height,
        String device,
        Map<String, String> metadata) {

    public RecordingInfo {
        Objects.requireNonNull(format, "format");
        version = version == null ? "" : version;
        device = device == null ? "" : device;
        metadata = Map.copyOf(metadata == null ? Map.of() : metadata);
    }
}
