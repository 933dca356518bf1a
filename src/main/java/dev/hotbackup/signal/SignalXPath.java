package dev.hotbackup.signal;

import javax.xml.xpath.XPathFactory;
import net.sf.saxon.Configuration;
import net.sf.saxon.xpath.XPathFactoryImpl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The XPath engine of the pack's signal router: Saxon, bound as {@value #BEAN} for the router's
 * {@code factoryRef}.
 *
 * <p>Why not the JDK's: its XPath builds a new evaluation context for every evaluation, with a
 * 4,096-slot variable stack and a reflective method lookup, about 90 % of the router's time per
 * signal (a burst of 1,000 DEAD signals queued behind it; docs/profiles/router.md). Saxon's context
 * is light, except that by default each evaluation also makes an error reporter with its own
 * buffered writer on {@code System.err}; here all evaluations share one that logs.
 */
public final class SignalXPath {

    /** The registry name the router templates refer to. */
    public static final String BEAN = "hotbackupXPathFactory";

    private static final Logger LOG = LoggerFactory.getLogger(SignalXPath.class);

    private SignalXPath() {}

    /**
     * The factory, made once per JVM: Saxon's configuration takes a few hundred milliseconds to
     * build, and several Camel contexts in one JVM (tests, a user's own) can share it.
     */
    public static XPathFactory factory() {
        return Shared.FACTORY;
    }

    private static final class Shared {
        static final XPathFactory FACTORY = make();
    }

    private static XPathFactory make() {
        Configuration configuration = new Configuration();
        configuration.setErrorReporterFactory(
                c ->
                        error ->
                                LOG.warn(
                                        "XPath in the signal router: {}{}",
                                        error.isWarning() ? "warning: " : "",
                                        error.getMessage()));
        return new XPathFactoryImpl(configuration);
    }
}
