package dev.hotbackup.probe;

/**
 * What one reconfirm probe found. Decisions are made on the {@link Outcome}; the {@link #text()} is
 * for people (logs, activity log, mail) and may be reworded without changing any decision.
 *
 * @param outcome what happened
 * @param detail more about it (the timeout, the network error), or empty
 */
public record ProbeResult(Outcome outcome, String detail) {

    /** What happened to a probe. */
    public enum Outcome {
        /** A valid, signed answer from the host: its process is alive. */
        ANSWERED,
        /** Nothing listens on the probe port any more: the process is gone. */
        REFUSED,
        /** No answer within the probe timeout: hung, overloaded, or a lost network. */
        TIMED_OUT,
        /** The connection closed, or failed, before an answer came. */
        CLOSED,
        /** An answer came but is not a valid one from this host. */
        INVALID,
        /** The probe could not be sent: no address or port known, or the network said no. */
        UNREACHABLE
    }

    public static ProbeResult answered() {
        return new ProbeResult(Outcome.ANSWERED, "");
    }

    public static ProbeResult refused() {
        return new ProbeResult(Outcome.REFUSED, "");
    }

    public static ProbeResult timedOut(long millis) {
        return new ProbeResult(Outcome.TIMED_OUT, "within " + millis + " ms");
    }

    public static ProbeResult closed(String detail) {
        return new ProbeResult(Outcome.CLOSED, detail);
    }

    public static ProbeResult invalid() {
        return new ProbeResult(Outcome.INVALID, "");
    }

    public static ProbeResult unreachable(String detail) {
        return new ProbeResult(Outcome.UNREACHABLE, detail);
    }

    public boolean isAnswered() {
        return outcome == Outcome.ANSWERED;
    }

    /** For people: {@code connection refused}, {@code no answer within 250 ms}, ... */
    public String text() {
        return switch (outcome) {
            case ANSWERED -> "answered";
            case REFUSED -> "connection refused";
            case TIMED_OUT -> "no answer " + detail;
            case CLOSED -> detail.isEmpty() ? "closed without an answer" : "failed: " + detail;
            case INVALID -> "invalid answer";
            case UNREACHABLE -> detail.isEmpty() ? "unreachable" : detail;
        };
    }

    @Override
    public String toString() {
        return text();
    }
}
