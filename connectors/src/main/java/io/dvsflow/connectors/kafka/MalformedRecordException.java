package io.dvsflow.connectors.kafka;

/** A record that is not a valid message of its topic; the message is the reason. */
public final class MalformedRecordException extends Exception {

    private static final long serialVersionUID = 1L;

    public MalformedRecordException(String reason) {
        super(reason);
    }
}
