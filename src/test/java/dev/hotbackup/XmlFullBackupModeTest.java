package dev.hotbackup;

/** Full-backup mode with the pack's XML routes. */
class XmlFullBackupModeTest extends FullBackupModeTest {

    @Override
    protected String dsl() {
        return "xml";
    }
}
