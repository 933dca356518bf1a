package dev.hotbackup;

/** A refusing mail server with the pack's XML routes. */
class XmlMailServerDownTest extends MailServerDownTest {

    @Override
    protected String dsl() {
        return "xml";
    }
}
