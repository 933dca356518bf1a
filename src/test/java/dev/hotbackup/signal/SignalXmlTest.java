package dev.hotbackup.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hotbackup.signal.SignalXml.Whitespace;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

class SignalXmlTest {

    @Test
    void plainNamesGiveTheReferenceForm() {
        assertEquals(
                "<signal host='serverA' config='base'>DEAD</signal>",
                SignalXml.render("serverA", "base", SignalState.DEAD, Whitespace.PRESERVE));
    }

    @Test
    void preserveKeepsEveryCharacterThroughAnXmlParser() throws Exception {
        String host = "a'b\"c<d>e&f\n\tg\r h ✓";
        Element e = parse(SignalXml.render(host, "c  d", SignalState.LIVE, Whitespace.PRESERVE));
        assertEquals(host, e.getAttribute("host"));
        assertEquals("c  d", e.getAttribute("config"));
        assertEquals("LIVE", e.getTextContent());
    }

    @Test
    void condenseCollapsesWhitespace() throws Exception {
        Element e =
                parse(
                        SignalXml.render(
                                "  server\n\t A  ",
                                "base",
                                SignalState.CLOSE,
                                Whitespace.CONDENSE));
        assertEquals("server A", e.getAttribute("host"));
    }

    @Test
    void whitespaceOptionParsesEitherCase() {}

    private static Element parse(String xml) throws Exception {
        return DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)))
                .getDocumentElement();
    }
}
