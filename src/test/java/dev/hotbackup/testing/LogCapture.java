package dev.hotbackup.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Keeps every log event of this JVM from the moment it is installed, with its stack traces. */
public final class LogCapture extends AppenderBase<ILoggingEvent> {

    private final List<String> lines = new ArrayList<>();

    /** Installs a capture on the root logger. */
    public static LogCapture install() {
        LogCapture capture = new LogCapture();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        capture.setContext(root.getLoggerContext());
        capture.start();
        root.addAppender(capture);
        return capture;
    }

    public void uninstall() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(this);
        stop();
    }

    @Override
    protected synchronized void append(ILoggingEvent event) {
        StringBuilder text =
                new StringBuilder(
                        event.getLevel()
                                + " "
                                + event.getLoggerName()
                                + " "
                                + event.getFormattedMessage());
        for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
            text.append("\n").append(t.getClassName()).append(": ").append(t.getMessage());
            for (StackTraceElementProxy e : t.getStackTraceElementProxyArray()) {
                text.append("\n\t").append(e.getSTEAsString());
            }
        }
        lines.add(text.toString());
    }

    /** Every event so far, level, logger and message first. */
    public synchronized List<String> lines() {
        return new ArrayList<>(lines);
    }

    /** Events whose text contains {@code fragment}. */
    public synchronized List<String> containing(String fragment) {
        return lines.stream().filter(l -> l.contains(fragment)).toList();
    }
}
