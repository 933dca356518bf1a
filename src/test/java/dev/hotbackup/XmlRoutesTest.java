package dev.hotbackup;

/** The listener behaviour with the pack's XML twins (routes/xml/*.camel.xml). */
class XmlRoutesTest extends BackupListenerBehaviour {

    @Override
    protected String dsl() {
        return "xml";
    }
}
