package dev.hotbackup;

/** Status, health, metrics and operator actions with the pack's XML twins. */
class XmlOperateTest extends OperateBehaviour {

    @Override
    protected String dsl() {
        return "xml";
    }
}
