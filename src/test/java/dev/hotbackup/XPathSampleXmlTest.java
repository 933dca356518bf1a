package dev.hotbackup;

/** samples/three-hosts' XPath routing with the XML route (per-host-signals.xml). */
class XPathSampleXmlTest extends XPathSampleTest {

    @Override
    protected String sampleDsl() {
        return "xml";
    }
}
