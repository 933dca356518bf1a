package dev.hotbackup;

import java.nio.file.Path;

/** {@link MailQueueFullTest} with the pack's routes in XML. */
class XmlMailQueueFullTest extends MailQueueFullTest {

    @Override
    protected String dsl() {
        return "xml";
    }

    @Override
    protected Path deadLetters() {
        return Path.of("target/test-mail/XmlMailQueueFullTest.txt");
    }
}
