package dev.hotbackup.signal;

import java.io.StringReader;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.w3c.dom.Document;
import org.xml.sax.InputSource;

/**
 * The signal router's parse step, bound as {@value #BEAN}: the signal's text becomes one DOM
 * document that the router's XPath conditions all read. Camel's own conversion makes a new document
 * builder for every body, which was most of a signal's remaining cost once XPath ran on Saxon
 * (docs/profiles/router.md); here each router thread keeps its builder. A body that is a document
 * already is left alone; no DOCTYPE is accepted (a signal has none, so no entity is ever resolved).
 */
public final class SignalDocument implements Processor {

    /** The registry name the router templates refer to. */
    public static final String BEAN = "hotbackupSignalDocument";

    private static final ThreadLocal<DocumentBuilder> BUILDER =
            ThreadLocal.withInitial(SignalDocument::builder);

    @Override
    public void process(Exchange exchange) throws Exception {
        Object body = exchange.getIn().getBody();
        if (body instanceof Document) {
            return;
        }
        String xml = exchange.getIn().getMandatoryBody(String.class);
        DocumentBuilder builder = BUILDER.get();
        builder.reset();
        exchange.getIn().setBody(builder.parse(new InputSource(new StringReader(xml))));
    }

    private static DocumentBuilder builder() {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            return factory.newDocumentBuilder();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("No XML parser for signals: " + e.getMessage(), e);
        }
    }
}
