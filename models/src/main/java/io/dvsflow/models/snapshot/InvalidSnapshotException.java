package io.dvsflow.models.snapshot;

/**
 * A model snapshot that cannot be used: unknown architecture, unsupported format version, a tensor
 * missing or of the wrong shape, NaN or infinite weights, sizes over the bounds of {@link
 * ModelSnapshots}, or undecodable bytes. The message names the tensor or field at fault.
 */
public class InvalidSnapshotException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** With a one-sentence message. */
    public InvalidSnapshotException(String message) {
        super(message);
    }

    /** With a one-sentence message and the underlying cause. */
    public InvalidSnapshotException(String message, Throwable cause) {
        super(message, cause);
    }
}
