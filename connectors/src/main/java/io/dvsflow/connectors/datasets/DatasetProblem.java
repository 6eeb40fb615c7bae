package io.dvsflow.connectors.datasets;

import java.nio.file.Path;

/**
 * Something in a dataset folder that could not be used, and why (one sentence). A layout lists
 * problems and goes on: one bad file never stops the listing.
 *
 * @param path the file or folder concerned
 * @param reason why it was not used
 */
public record DatasetProblem(Path path, String reason) {}
